import { api, segment } from "../api.js";
import { h, link, notice, replace, table } from "../dom.js";
import { when } from "../format.js";

const pageSize = 50;
const ranges = [
  ["1h", "Last hour", 3600],
  ["24h", "Last 24 hours", 86400],
  ["7d", "Last 7 days", 7 * 86400],
  ["30d", "Last 30 days", 30 * 86400],
  ["all", "Any time", null],
];

// Artifact search: free text in the raw message, an entity, type and source, a time range.
export async function artifactSearchPage(main, { params }) {
  const status = h("div", { class: "status" });
  const results = h("div", { id: "artifact-results" });
  const field = (name, placeholder, size = 18) =>
    h("input", { type: "search", name, id: `search-${name}`, placeholder, value: params.get(name) || "", size });
  const q = field("q", "text in the raw message", 28);
  const entity = field("entity", "ip:203.0.113.9, user:root");
  const messageType = field("message_type", "auth_failure", 14);
  const source = field("source", "source", 14);
  const range = h(
    "select",
    { name: "range", id: "search-range" },
    ranges.map(([value, title]) => h("option", { value, selected: value === (params.get("range") || "24h") }, title))
  );
  const offset = Number(params.get("offset") || 0);

  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: (event) => {
        event.preventDefault();
        const search = new URLSearchParams();
        for (const input of [q, entity, messageType, source]) if (input.value.trim()) search.set(input.name, input.value.trim());
        search.set("range", range.value);
        location.hash = `#/artifacts?${search}`;
      },
    },
    q,
    entity,
    messageType,
    source,
    range,
    h("button", { type: "submit", id: "search" }, "Search")
  );
  replace(main, h("div", { class: "page-head" }, h("h1", {}, "Artifacts")), form, status, results);

  const seconds = (ranges.find(([value]) => value === range.value) || [])[2];
  const query = {
    q: q.value.trim(),
    entity: entity.value.trim(),
    message_type: messageType.value.trim(),
    source: source.value.trim(),
    from: seconds ? new Date(Date.now() - seconds * 1000).toISOString() : "",
    limit: pageSize,
    offset,
  };
  try {
    const page = await api.get("/artifacts", query);
    const pageLink = (to) => {
      const search = new URLSearchParams(params);
      search.set("offset", String(to));
      return `#/artifacts?${search}`;
    };
    replace(
      results,
      h(
        "div",
        { class: "pager" },
        `${page.total} artifact${page.total === 1 ? "" : "s"}`,
        offset > 0 ? link(pageLink(Math.max(0, offset - pageSize)), "← Newer") : null,
        offset + pageSize < page.total ? link(pageLink(offset + pageSize), "Older →") : null
      ),
      table(
        [
          { title: "Time", value: (artifact) => link(`#/artifacts/${encodeURIComponent(artifact.id)}`, when(artifact.timestamp)) },
          { title: "Type", value: (artifact) => artifact.message_type },
          { title: "Source", value: (artifact) => artifact.source },
          { title: "Client", value: (artifact) => endpoint(artifact.client_ip, artifact.client_port) },
          { title: "Server", value: (artifact) => endpoint(artifact.server_ip, artifact.server_port) },
          { title: "User", value: (artifact) => artifact.user_name || "" },
          { title: "Message", class: "raw", value: (artifact) => (artifact.raw_text || "").slice(0, 160) },
        ],
        page.items,
        { empty: "No artifacts match." }
      )
    );
  } catch (error) {
    replace(status, notice("error", error.message));
  }
}

function endpoint(ip, port) {
  if (!ip) return "";
  return port ? `${ip}:${port}` : ip;
}

export async function artifactPage(main, { id }) {
  const artifact = await api.get(`/artifacts/${segment(id)}`);
  const skip = new Set(["raw", "raw_text", "fields", "entities", "org_id", "id"]);
  const facts = Object.entries(artifact).filter(([key, value]) => !skip.has(key) && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0));
  replace(
    main,
    h("div", { class: "page-head" }, h("p", { class: "crumbs" }, link("#/artifacts", "Artifacts"), " / ", artifact.id), h("h1", {}, `${artifact.message_type} from ${artifact.source}`)),
    h(
      "div",
      { class: "columns" },
      h(
        "section",
        { class: "card wide" },
        h("h2", {}, "Raw message"),
        h("pre", { class: "raw-message", id: "raw-message" }, artifact.raw_text ?? "(not text; kept as bytes)"),
        h("h2", {}, "Normalized"),
        table(
          [
            { title: "Field", value: ([key]) => key },
            { title: "Value", value: ([, value]) => (typeof value === "object" ? JSON.stringify(value) : String(value)) },
          ],
          facts
        ),
        Object.keys(artifact.fields || {}).length
          ? [h("h2", {}, "Vendor fields"), h("pre", { class: "raw-message" }, JSON.stringify(artifact.fields, null, 2))]
          : null
      ),
      h(
        "aside",
        { class: "side" },
        h(
          "section",
          { class: "card" },
          h("h2", {}, "Entities"),
          h(
            "ul",
            { class: "entities" },
            (artifact.entities || []).map((entity) => {
              const key = `${entity.type}:${entity.value}`;
              return h("li", {}, link(`#/nodes/${encodeURIComponent(key)}`, key));
            })
          )
        )
      )
    )
  );
}

