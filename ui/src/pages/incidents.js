import { api, session } from "../api.js";
import { h, link, notice, replace, table } from "../dom.js";
import { ago, severities, statusNames } from "../format.js";
import { coalesce, onLive } from "../live.js";

const pageSize = 50;

export function severityBadge(severity) {
  return h("span", { class: `badge severity-${severity}` }, severity);
}

export function statusBadge(status) {
  return h("span", { class: `badge status-${status}` }, statusNames[status] || String(status));
}

// The incident list: filters in the URL (so a view can be shared), refreshed when an incident
// event arrives on /ws.
export async function incidentListPage(main, { params }) {
  const filters = {
    status: params.get("status") ?? "1,2",
    min_severity: params.get("min_severity") || "",
    assignee: params.get("assignee") || "",
    offset: Number(params.get("offset") || 0),
  };
  const status = h("div", { class: "status" });
  const results = h("div", { id: "incident-results" });
  const fresh = new Set();

  const statusSelect = h(
    "select",
    { id: "filter-status", name: "status" },
    [
      ["1,2", "Open (New, Investigating)"],
      ["", "Any status"],
      ...Object.entries(statusNames).map(([value, name]) => [value, name]),
    ].map(([value, name]) => h("option", { value, selected: value === filters.status }, name))
  );
  const severitySelect = h(
    "select",
    { id: "filter-severity", name: "min_severity" },
    h("option", { value: "" }, "Any severity"),
    severities.map((value) => h("option", { value, selected: value === filters.min_severity }, `${value} and above`))
  );
  const mine = h("input", { type: "checkbox", id: "filter-mine", checked: Boolean(filters.assignee) });

  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: (event) => {
        event.preventDefault();
        const search = new URLSearchParams();
        search.set("status", statusSelect.value);
        if (severitySelect.value) search.set("min_severity", severitySelect.value);
        if (mine.checked && session.me.user) search.set("assignee", session.me.user.id);
        location.hash = `#/incidents?${search}`;
      },
    },
    h("label", {}, "Status ", statusSelect),
    h("label", {}, "Severity ", severitySelect),
    h("label", {}, mine, " Assigned to me"),
    h("button", { type: "submit" }, "Filter")
  );

  async function load() {
    const page = await api.get("/incidents", {
      status: filters.status,
      min_severity: filters.min_severity,
      assignee: filters.assignee,
      limit: pageSize,
      offset: filters.offset,
    });
    const rows = table(
      [
        { title: "Severity", value: (incident) => severityBadge(incident.severity) },
        { title: "Incident", value: (incident) => link(`#/incidents/${encodeURIComponent(incident.id)}`, incident.title, { class: "incident-link" }) },
        { title: "Status", value: (incident) => statusBadge(incident.status) },
        { title: "Score", class: "number", value: (incident) => incident.suspicion_score.toFixed(1) },
        { title: "Leads", class: "number", value: (incident) => String(incident.leads.length) },
        { title: "Assignee", value: (incident) => incident.assignee || "—" },
        { title: "Last activity", value: (incident) => h("span", { title: incident.last_observed_at }, ago(incident.updated_at)) },
      ],
      page.items,
      {
        empty: "No incidents match. New ones appear here as they are detected.",
        rowProps: (incident) => ({ class: fresh.has(incident.id) ? "fresh" : "", dataset: { incidentId: incident.id } }),
      }
    );
    const pager = h(
      "div",
      { class: "pager" },
      `${page.total} incident${page.total === 1 ? "" : "s"}`,
      filters.offset > 0 ? link(pageHref(filters, Math.max(0, filters.offset - pageSize)), "← Newer") : null,
      filters.offset + pageSize < page.total ? link(pageHref(filters, filters.offset + pageSize), "Older →") : null
    );
    replace(results, pager, rows);
  }

  replace(main, h("div", { class: "page-head" }, h("h1", {}, "Incidents")), form, status, results);
  await load();

  // Reload on incident events (at most every 500 ms), marking the incidents that changed.
  const reload = coalesce(() => load().catch((error) => replace(status, notice("error", error.message))), 500);
  const stop = onLive((message) => {
    if (message.type !== "incident" && message.type !== "lagged") return;
    if (message.event) fresh.add(message.event.incident.id);
    reload.schedule();
  });
  return () => {
    stop();
    reload.cancel();
  };
}

function pageHref(filters, offset) {
  const search = new URLSearchParams();
  search.set("status", filters.status);
  if (filters.min_severity) search.set("min_severity", filters.min_severity);
  if (filters.assignee) search.set("assignee", filters.assignee);
  search.set("offset", String(offset));
  return `#/incidents?${search}`;
}

