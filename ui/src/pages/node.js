import { api, segment, session } from "../api.js";
import { action, h, link, notice, replace, table } from "../dom.js";
import { bytes, count, nodeLabel, when } from "../format.js";
import { graphView } from "../graph-view.js";

const flagNames = ["internal", "managed", "trusted", "infrastructure"];

// A node: what is known about it, its flags, and its neighborhood as a graph.
export async function nodePage(main, { id, params }) {
  const depth = Math.min(3, Math.max(1, Number(params.get("depth") || 1)));
  const status = h("div", { class: "status" });
  let graph = null;
  const [node, neighborhood, edges] = await Promise.all([
    api.get(`/nodes/${segment(id)}`),
    api.get("/graph/neighborhood", { node: id, depth, limit: 300 }),
    api.get("/edges", { node: id, limit: 50 }),
  ]);
  graph = graphView(neighborhood.nodes, neighborhood.edges, {
    highlight: new Set([id]),
    onOpen: (nodeID) => (location.hash = `#/nodes/${encodeURIComponent(nodeID)}`),
  });
  const flagBoxes = flagNames.map((flag) => h("input", { type: "checkbox", id: `flag-${flag}`, checked: node.flags[flag] }));
  const canEdit = session.can("graph:write");
  replace(
    main,
    h(
      "div",
      { class: "page-head" },
      h("p", { class: "crumbs" }, link("#/artifacts", "Search"), " / node"),
      h("h1", {}, h("span", { class: "tag" }, node.type), " ", node.value),
      h(
        "p",
        { class: "facts" },
        `${count(node.artifact_count)} artifacts · ${count(node.edge_count)} edges · first seen ${when(node.first_seen)} · last seen ${when(node.last_seen)} · `,
        link(`#/artifacts?entity=${encodeURIComponent(id)}&range=all`, "artifacts naming it")
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
          "h2",
          {},
          "Neighborhood ",
          [1, 2, 3].map((value) =>
            link(`#/nodes/${encodeURIComponent(id)}?depth=${value}`, `depth ${value}`, { class: value === depth ? "chip active" : "chip" })
          )
        ),
        neighborhood.truncated ? notice("info", "The neighborhood is larger than shown (300 nodes).") : null,
        graph,
        h("h2", {}, "Recent edges"),
        table(
          [
            { title: "From", value: (edge) => link(`#/nodes/${encodeURIComponent(edge.source_id)}`, nodeLabel(edge.source_id)) },
            { title: "Relation", value: (edge) => edge.type.replaceAll("_", " ") },
            { title: "To", value: (edge) => link(`#/nodes/${encodeURIComponent(edge.target_id)}`, nodeLabel(edge.target_id)) },
            { title: "Events", class: "number", value: (edge) => count(edge.artifact_count) },
            { title: "Bytes", class: "number", value: (edge) => bytes(edge.bytes) },
            { title: "Last seen", value: (edge) => when(edge.last_seen) },
          ],
          edges.items
        )
      ),
      h(
        "aside",
        { class: "side" },
        h(
          "form",
          {
            class: "card",
            id: "flags-form",
            onsubmit: action(status, async () => {
              const flags = Object.fromEntries(flagNames.map((flag, index) => [flag, flagBoxes[index].checked]));
              await api.put(`/nodes/${segment(id)}/flags`, flags);
              replace(status, notice("ok", "Flags saved."));
            }),
          },
          h("h2", {}, "Flags"),
          flagNames.map((flag, index) => h("label", { class: "check" }, flagBoxes[index], ` ${flag}`)),
          canEdit ? h("button", { type: "submit" }, "Save flags") : h("p", { class: "muted" }, "You may not change flags.")
        )
      )
    )
  );
  return () => graph && graph.stop && graph.stop();
}
