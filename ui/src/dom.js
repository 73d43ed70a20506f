// A small element builder. Text always goes in as text nodes, never as HTML, so nothing a log line
// or an API answer contains can become markup.

export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") element.addEventListener(key.slice(2), value);
    else if (key === "value" || key === "checked" || key === "disabled" || key === "selected") element[key] = value;
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else if (child instanceof Node) element.appendChild(child);
    else element.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(element) {
  while (element.firstChild) element.removeChild(element.firstChild);
  return element;
}

export function replace(element, ...children) {
  clear(element);
  append(element, children);
  return element;
}

// A table from column definitions: {title, value(row) -> node or text, class?}.
export function table(columns, rows, { empty = "Nothing here yet.", rowProps } = {}) {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h(
    "table",
    { class: "grid" },
    h("thead", {}, h("tr", {}, columns.map((column) => h("th", { class: column.class }, column.title)))),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h("tr", rowProps ? rowProps(row) : {}, columns.map((column) => h("td", { class: column.class }, column.value(row))))
      )
    )
  );
}

// A message bar for errors and confirmations.
export function notice(kind, text) {
  return h("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

export function link(href, text, props = {}) {
  return h("a", { href, ...props }, text);
}

// Wraps an async action so a button shows it is busy and errors land in `status`.
export function action(status, body) {
  return async (event) => {
    if (event && event.preventDefault) event.preventDefault();
    const button = event && event.submitter ? event.submitter : event && event.currentTarget;
    if (button && "disabled" in button) button.disabled = true;
    try {
      await body(event);
    } catch (error) {
      replace(status, notice("error", error.message));
    } finally {
      if (button && "disabled" in button) button.disabled = false;
    }
  };
}
