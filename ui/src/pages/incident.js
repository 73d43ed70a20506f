import { api, segment, session } from "../api.js";
import { action, h, link, notice, replace, table } from "../dom.js";
import { ago, count, nodeLabel, nodeType, statusNames, when } from "../format.js";
import { graphView } from "../graph-view.js";
import { coalesce, onLive } from "../live.js";
import { severityBadge, statusBadge } from "./incidents.js";

// Edge ids are derived from their ends: "<source> -<type>-> <target>" (Edge.ID in WFACore).
export function parseEdgeID(id) {
  const match = /^(.+?) -([a-z_]+)-> (.+)$/.exec(id);
  return match ? { id, source_id: match[1], type: match[2], target_id: match[3] } : null;
}

// Allowed moves, as the server enforces them: New and Investigating go anywhere, closed states
// only reopen to Investigating.
function nextStatuses(current) {
  if (current === 1 || current === 2) return [1, 2, 3, 4, 5].filter((status) => status !== current);
  return [2];
}

export async function incidentPage(main, { id }) {
  const status = h("div", { class: "status", id: "incident-status" });
  let users = null;
  if (session.can("settings:read")) {
    users = await api.get("/users", { limit: 500 }).then((page) => page.items).catch(() => null);
  }
  const userName = (userID) => {
    const user = users && users.find((candidate) => candidate.id === userID);
    return user ? user.email : userID;
  };
  let graph = null;

  async function load() {
    const [incident, timeline] = await Promise.all([
      api.get(`/incidents/${segment(id)}`),
      api.get(`/incidents/${segment(id)}/timeline`),
    ]);
    if (graph && graph.stop) graph.stop();
    const leadNodes = new Set(incident.leads.flatMap((lead) => lead.node_ids));
    const nodes = incident.node_ids.map((nodeID) => ({ id: nodeID, type: nodeType(nodeID), value: nodeLabel(nodeID) }));
    const edges = incident.edge_ids.map(parseEdgeID).filter(Boolean);
    graph = graphView(nodes, edges, {
      highlight: leadNodes,
      onOpen: (nodeID) => (location.hash = `#/nodes/${encodeURIComponent(nodeID)}`),
    });
    replace(
      main,
      h(
        "div",
        { class: "page-head" },
        h("p", { class: "crumbs" }, link("#/incidents", "Incidents"), " / ", incident.id),
        h("h1", { id: "incident-title" }, incident.title),
        h(
          "p",
          { class: "facts" },
          severityBadge(incident.severity),
          " ",
          h("span", { id: "incident-status-badge" }, statusBadge(incident.status)),
          ` score ${incident.suspicion_score.toFixed(1)} · ${incident.leads.length} leads · assigned to `,
          h("strong", { id: "incident-assignee" }, incident.assignee ? userName(incident.assignee) : "nobody"),
          ` · first seen ${when(incident.first_observed_at)} · last seen ${ago(incident.last_observed_at)}`
        ),
        incident.merged_into
          ? notice("info", `Merged into ${incident.merged_into}.`)
          : null,
        incident.mitre_techniques && incident.mitre_techniques.length
          ? h("p", { class: "tags" }, incident.mitre_techniques.map((technique) => h("span", { class: "tag" }, technique)))
          : null
      ),
      status,
      h(
        "div",
        { class: "columns" },
        h(
          "section",
          { class: "card wide" },
          h("h2", {}, "Graph"),
          graph,
          h("h2", {}, "Leads"),
          table(
            [
              { title: "Rule", value: (lead) => lead.rule_name },
              { title: "Kind", value: (lead) => lead.rule_kind },
              { title: "Severity", value: (lead) => severityBadge(lead.severity) },
              { title: "Events", class: "number", value: (lead) => count(lead.count) },
              { title: "Observed", value: (lead) => when(lead.observed_at) },
              { title: "Artifact", value: (lead) => link(`#/artifacts/${encodeURIComponent(lead.artifact_id)}`, "open") },
            ],
            incident.leads
          )
        ),
        h(
          "aside",
          { class: "side" },
          session.can("incidents:write") ? workflow(incident) : null,
          h("section", { class: "card" }, h("h2", {}, "Why this score"), scoreReasons(incident)),
          h(
            "section",
            { class: "card" },
            h("h2", {}, "Timeline"),
            h(
              "ol",
              { class: "timeline", id: "timeline" },
              timeline
                .slice()
                .reverse()
                .map((entry) =>
                  h(
                    "li",
                    { class: `entry ${entry.type}` },
                    h("time", { datetime: entry.at }, when(entry.at)),
                    " ",
                    entry.summary,
                    entry.actor ? h("span", { class: "muted" }, ` — ${userName(entry.actor)}`) : null
                  )
                )
            )
          )
        )
      )
    );
  }

  function workflow(incident) {
    const statusSelect = h(
      "select",
      { id: "status-select", name: "status" },
      nextStatuses(incident.status).map((value) => h("option", { value: String(value) }, statusNames[value]))
    );
    const statusNote = h("input", { type: "text", id: "status-note", placeholder: "Why (optional)", maxlength: 10000 });
    const assignee = users
      ? h(
          "select",
          { id: "assignee-select" },
          users.filter((user) => !user.disabled).map((user) => h("option", { value: user.id, selected: user.id === incident.assignee }, user.email))
        )
      : null;
    const note = h("textarea", { id: "note-text", rows: 3, placeholder: "Add a note for the team", maxlength: 10000 });
    return h(
      "section",
      { class: "card", id: "workflow" },
      h("h2", {}, "Work this incident"),
      h(
        "form",
        {
          id: "status-form",
          onsubmit: action(status, async () => {
            await api.post(`/incidents/${segment(id)}/status`, {
              status: Number(statusSelect.value),
              expected_status: incident.status,
              ...(statusNote.value.trim() ? { note: statusNote.value.trim() } : {}),
            });
            replace(status, notice("ok", `Status changed to ${statusNames[statusSelect.value]}.`));
            await load();
          }),
        },
        h("label", { for: "status-select" }, `Status (now ${statusNames[incident.status]})`),
        statusSelect,
        statusNote,
        h("button", { type: "submit", id: "change-status" }, "Change status")
      ),
      h(
        "form",
        {
          id: "assign-form",
          onsubmit: action(status, async () => {
            const target = assignee ? assignee.value : session.me.user.id;
            await api.post(`/incidents/${segment(id)}/assign`, { assignee: target });
            replace(status, notice("ok", `Assigned to ${userName(target)}.`));
            await load();
          }),
        },
        h("label", { for: "assignee-select" }, "Assignee"),
        assignee,
        h("button", { type: "submit", id: "assign" }, assignee ? "Assign" : "Assign to me")
      ),
      h(
        "form",
        {
          id: "note-form",
          onsubmit: action(status, async () => {
            if (!note.value.trim()) return;
            await api.post(`/incidents/${segment(id)}/notes`, { text: note.value.trim() });
            replace(status, notice("ok", "Note added."));
            await load();
          }),
        },
        h("label", { for: "note-text" }, "Note"),
        note,
        h("button", { type: "submit", id: "add-note" }, "Add note")
      )
    );
  }

  await load();
  // Someone else changed it (or new leads arrived): show it, unless the analyst is typing.
  const reload = coalesce(() => {
    const typing = document.activeElement && ["TEXTAREA", "INPUT"].includes(document.activeElement.tagName) && document.activeElement.value;
    if (typing) replace(status, notice("info", "This incident changed; your input is kept. Reload to see the change."));
    else load().catch((error) => replace(status, notice("error", error.message)));
  }, 300);
  const stop = onLive((message) => {
    if (message.type !== "incident" || message.event.incident.id !== id) return;
    reload.schedule();
  });
  return () => {
    stop();
    reload.cancel();
    if (graph && graph.stop) graph.stop();
  };
}

function scoreReasons(incident) {
  if (!incident.score_reasons || incident.score_reasons.length === 0) return h("p", { class: "empty" }, "No reasons recorded.");
  return h(
    "ul",
    { class: "reasons" },
    incident.score_reasons.map((reason) => h("li", {}, h("span", { class: "weight" }, `+${reason.weight.toFixed(1)}`), " ", reason.reason))
  );
}
