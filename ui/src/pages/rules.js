import { api, segment, session } from "../api.js";
import { action, h, link, notice, replace, table } from "../dom.js";
import { count, severities, when } from "../format.js";
import { severityBadge } from "./incidents.js";

const kinds = {
  lead: { path: "/lead-rules", title: "Lead rules" },
  sigma: { path: "/sigma-rules", title: "Sigma rules" },
  classification: { path: "/classification-rules", title: "Classification rules" },
};

// Every page of a rule list (the lists hold a few hundred rules).
async function allRules(path) {
  const items = [];
  for (let offset = 0; ; offset += 500) {
    const page = await api.get(path, { limit: 500, offset });
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

export async function rulesPage(main, { params }) {
  const kind = kinds[params.get("kind")] ? params.get("kind") : "lead";
  const filter = (params.get("filter") || "").toLowerCase();
  // A rule just added is shown filtered, with the confirmation carried over in the URL.
  const added = params.get("added");
  const status = h("div", { class: "status", id: "rules-status" }, added ? notice("ok", `Saved ${added}.`) : null);
  const canWrite = session.can("signals:write");
  const rules = await allRules(kinds[kind].path);
  const shown = filter ? rules.filter((rule) => `${rule.id} ${rule.name}`.toLowerCase().includes(filter)) : rules;

  const remove = (rule) =>
    h(
      "button",
      {
        class: "link danger",
        onclick: action(status, async () => {
          if (!confirm(`Delete the rule "${rule.name}"?`)) return;
          await api.delete(`${kinds[kind].path}/${segment(rule.id)}`);
          location.reload();
        }),
      },
      "delete"
    );
  const columns = {
    lead: [
      { title: "Rule", value: (rule) => h("span", { title: rule.description || "" }, rule.name) },
      { title: "Severity", value: (rule) => severityBadge(rule.severity) },
      { title: "Criteria", class: "code", value: (rule) => rule.criteria },
      { title: "Enabled", value: (rule) => (rule.enabled ? "yes" : "no") },
    ],
    sigma: [
      { title: "Rule", value: (rule) => h("span", { title: rule.id }, rule.name) },
      { title: "Level", value: (rule) => rule.level },
      { title: "Log source", value: (rule) => [rule.logsource_product, rule.logsource_category, rule.logsource_service].filter(Boolean).join(" / ") },
      { title: "Enabled", value: (rule) => (rule.enabled ? "yes" : "no") },
    ],
    classification: [
      { title: "Priority", class: "number", value: (rule) => String(rule.priority) },
      { title: "Rule", value: (rule) => rule.name },
      { title: "Criteria", class: "code", value: (rule) => rule.criteria },
      { title: "Stream", value: (rule) => rule.stream_name },
    ],
  }[kind];
  columns.push({ title: "Updated", value: (rule) => when(rule.updated_at) });
  columns.push({
    title: "",
    value: (rule) => [link(`#/rules/test?kind=${kind}&rule_id=${encodeURIComponent(rule.id)}`, "test"), canWrite ? [" ", remove(rule)] : null],
  });

  const search = h("input", { type: "search", id: "rule-filter", placeholder: "filter by name or id", value: filter });
  replace(
    main,
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, "Rules"),
      h(
        "p",
        { class: "tabs" },
        Object.entries(kinds).map(([key, value]) => link(`#/rules?kind=${key}`, value.title, { class: key === kind ? "chip active" : "chip", id: `tab-${key}` })),
        link("#/rules/test", "Test a rule", { class: "chip" })
      )
    ),
    status,
    h(
      "div",
      { class: "columns" },
      h(
        "section",
        { class: "card wide" },
        h(
          "form",
          {
            class: "filters",
            onsubmit: (event) => {
              event.preventDefault();
              location.hash = `#/rules?kind=${kind}&filter=${encodeURIComponent(search.value)}`;
            },
          },
          search,
          h("button", { type: "submit" }, "Filter"),
          h("span", { class: "muted" }, `${count(shown.length)} of ${count(rules.length)} rules`)
        ),
        table(columns, shown, { empty: "No rules." })
      ),
      canWrite && kind !== "classification" ? h("aside", { class: "side" }, kind === "lead" ? leadForm(status) : sigmaUpload(status)) : null
    )
  );
}

function leadForm(status) {
  const name = h("input", { type: "text", id: "lead-name", required: true, maxlength: 200 });
  const criteria = h("textarea", { id: "lead-criteria", rows: 3, required: true, placeholder: "message_type = 'auth_failure' AND user_name = 'root'" });
  const severity = h("select", { id: "lead-severity" }, severities.map((value) => h("option", { value, selected: value === "medium" }, value)));
  return h(
    "form",
    {
      class: "card",
      id: "lead-form",
      onsubmit: action(status, async () => {
        const rule = await api.post("/lead-rules", { name: name.value.trim(), criteria: criteria.value.trim(), severity: severity.value });
        location.hash = `#/rules?kind=lead&filter=${encodeURIComponent(rule.id)}&added=${encodeURIComponent(`lead rule ${rule.name}`)}`;
      }),
    },
    h("h2", {}, "Add a lead rule"),
    h("label", { for: "lead-name" }, "Name"),
    name,
    h("label", { for: "lead-criteria" }, "Criteria"),
    criteria,
    h("label", { for: "lead-severity" }, "Severity"),
    severity,
    h("button", { type: "submit" }, "Add rule"),
    h("p", { class: "muted" }, "Criteria compare artifact fields: see docs/detection.md.")
  );
}

function sigmaUpload(status) {
  const file = h("input", { type: "file", id: "sigma-file", accept: ".yml,.yaml" });
  const yaml = h("textarea", { id: "sigma-yaml", rows: 10, placeholder: "title: ...\nlogsource: ...\ndetection: ..." });
  file.addEventListener("change", async () => {
    if (file.files.length) yaml.value = await file.files[0].text();
  });
  return h(
    "form",
    {
      class: "card",
      id: "sigma-form",
      onsubmit: action(status, async () => {
        const rule = await api.post("/sigma-rules", yaml.value, { contentType: "application/yaml" });
        location.hash = `#/rules?kind=sigma&filter=${encodeURIComponent(rule.id)}&added=${encodeURIComponent(`Sigma rule ${rule.name}`)}`;
      }),
    },
    h("h2", {}, "Upload a Sigma rule"),
    file,
    yaml,
    h("button", { type: "submit" }, "Upload"),
    h("p", { class: "muted" }, "A rule with the same Sigma id is replaced.")
  );
}

// Runs a stored or draft rule over stored artifacts and lists what it would have matched.
export async function ruleTestPage(main, { params }) {
  const status = h("div", { class: "status" });
  const results = h("div", { id: "test-results" });
  const kind = h(
    "select",
    { id: "test-kind" },
    Object.keys(kinds).map((value) => h("option", { value, selected: value === (params.get("kind") || "lead") }, value))
  );
  const ruleID = h("input", { type: "text", id: "test-rule-id", placeholder: "stored rule id", value: params.get("rule_id") || "" });
  const draft = h("textarea", { id: "test-draft", rows: 6, placeholder: "or a draft: criteria for lead/classification, YAML for Sigma" });
  const hours = h("input", { type: "number", id: "test-hours", min: 1, max: 8760, value: 24 });
  const form = h(
    "form",
    {
      class: "card",
      onsubmit: action(status, async () => {
        replace(status);
        const body = { kind: kind.value, from: new Date(Date.now() - Number(hours.value) * 3600 * 1000).toISOString(), limit: 100 };
        if (draft.value.trim()) body[kind.value === "sigma" ? "yaml" : "criteria"] = draft.value.trim();
        else body.rule_id = ruleID.value.trim();
        const result = await api.post("/rules/test", body);
        replace(
          results,
          h("p", {}, `Scanned ${count(result.scanned)} artifacts, ${count(result.matched)} matched${result.truncated ? " (stopped at the scan limit)" : ""}.`),
          table(
            [
              { title: "Time", value: (artifact) => link(`#/artifacts/${encodeURIComponent(artifact.id)}`, when(artifact.timestamp)) },
              { title: "Type", value: (artifact) => artifact.message_type },
              { title: "Message", class: "raw", value: (artifact) => (artifact.raw_text || "").slice(0, 200) },
            ],
            result.matches,
            { empty: "No matches in this range." }
          )
        );
      }),
    },
    h("h2", {}, "Test a rule"),
    h("label", { for: "test-kind" }, "Kind"),
    kind,
    h("label", { for: "test-rule-id" }, "Rule"),
    ruleID,
    draft,
    h("label", { for: "test-hours" }, "Hours back"),
    hours,
    h("button", { type: "submit", id: "run-test" }, "Run")
  );
  replace(main, h("div", { class: "page-head" }, h("p", { class: "crumbs" }, link("#/rules", "Rules"), " / test"), h("h1", {}, "Test a rule")), status, form, results);
}
