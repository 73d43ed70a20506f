// An interactive force-directed graph of nodes and edges (d3-force, d3-zoom, d3-drag).

import { forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation } from "d3-force";
import { select } from "d3-selection";
import { zoom, zoomIdentity } from "d3-zoom";
import { drag } from "d3-drag";
import { nodeLabel } from "./format.js";

const svgNS = "http://www.w3.org/2000/svg";

// nodes: [{id, type, value, flags?}], edges: [{id, source_id, target_id, type}]
// options: {highlight: Set of node ids, onOpen(nodeId)}
export function graphView(nodes, edges, { highlight = new Set(), onOpen, height = 420 } = {}) {
  const container = document.createElement("div");
  container.className = "graph";
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `graph of ${nodes.length} nodes and ${edges.length} edges`);
  svg.setAttribute("height", String(height));
  container.appendChild(svg);
  const legend = document.createElement("p");
  legend.className = "graph-legend";
  legend.textContent = `${nodes.length} nodes, ${edges.length} edges. Drag to move, scroll to zoom, double-click a node to open it.`;
  container.appendChild(legend);

  const width = 900;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const known = new Set(nodes.map((node) => node.id));
  const simNodes = nodes.map((node) => ({ ...node }));
  const simLinks = edges
    .filter((edge) => known.has(edge.source_id) && known.has(edge.target_id))
    .map((edge) => ({ id: edge.id, type: edge.type, source: edge.source_id, target: edge.target_id }));

  const root = select(svg);
  const layer = root.append("g");
  root.call(
    zoom()
      .scaleExtent([0.2, 5])
      .on("zoom", (event) => layer.attr("transform", event.transform))
  );
  root.call(zoom().transform, zoomIdentity);

  const link = layer
    .append("g")
    .attr("class", "links")
    .selectAll("line")
    .data(simLinks)
    .join("line")
    .attr("class", (edge) => `edge ${edge.type}`);
  link.append("title").text((edge) => edge.type.replaceAll("_", " "));

  const node = layer
    .append("g")
    .attr("class", "nodes")
    .selectAll("g")
    .data(simNodes)
    .join("g")
    .attr("class", (d) => `node type-${d.type}${highlight.has(d.id) ? " highlight" : ""}`)
    .attr("data-node-id", (d) => d.id);
  node.append("circle").attr("r", (d) => (highlight.has(d.id) ? 9 : 6));
  node
    .append("text")
    .attr("x", 11)
    .attr("y", 4)
    .text((d) => truncate(d.value || nodeLabel(d.id), 32));
  node.append("title").text((d) => d.id);
  if (onOpen) node.on("dblclick", (event, d) => onOpen(d.id));

  const simulation = forceSimulation(simNodes)
    .force("link", forceLink(simLinks).id((d) => d.id).distance(70))
    .force("charge", forceManyBody().strength(-180))
    .force("collide", forceCollide(16))
    .force("center", forceCenter(width / 2, height / 2));

  node.call(
    drag()
      .on("start", (event, d) => {
        if (!event.active) simulation.alphaTarget(0.3).restart();
        d.fx = d.x;
        d.fy = d.y;
      })
      .on("drag", (event, d) => {
        d.fx = event.x;
        d.fy = event.y;
      })
      .on("end", (event, d) => {
        if (!event.active) simulation.alphaTarget(0);
        d.fx = null;
        d.fy = null;
      })
  );

  simulation.on("tick", () => {
    link
      .attr("x1", (d) => d.source.x)
      .attr("y1", (d) => d.source.y)
      .attr("x2", (d) => d.target.x)
      .attr("y2", (d) => d.target.y);
    node.attr("transform", (d) => `translate(${d.x},${d.y})`);
  });
  // Stop the layout when the view leaves the page.
  container.stop = () => simulation.stop();
  return container;
}

function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
