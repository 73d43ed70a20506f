import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from "chart.js";
import { api } from "../api.js";
import { h, link, notice, replace, table } from "../dom.js";
import { bytes, count, nodeLabel, nodeType, severities, statusNames } from "../format.js";
import { coalesce, onLive, subscribeTo } from "../live.js";

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const severityColors = { informational: "#8aa1b1", low: "#4c9f70", medium: "#e0a526", high: "#e0672b", critical: "#c2272d" };
const statusColors = { 1: "#3b82c4", 2: "#e0a526", 3: "#4c9f70", 4: "#8aa1b1", 5: "#7a4fb5" };
const statusKeys = { 1: "new", 2: "investigating", 3: "resolved", 4: "closed", 5: "disrupted" };
const windows = [
  [1, "Last hour"],
  [24, "Last 24 hours"],
  [168, "Last 7 days"],
];

// The dashboard: event rate, unknown-format rate, incidents over time by severity and status,
// top talkers. Refreshes every 30 s and when an incident event arrives.
export async function dashboardPage(main, { params }) {
  const hours = windows.some(([value]) => value === Number(params.get("hours"))) ? Number(params.get("hours")) : 24;
  const status = h("div", { class: "status" });
  const tiles = h("div", { class: "tiles", id: "tiles" });
  const eventsCanvas = h("canvas", { id: "events-chart", height: 110 });
  const severityCanvas = h("canvas", { id: "severity-chart", height: 160 });
  const statusCanvas = h("canvas", { id: "status-chart", height: 160 });
  const talkers = h("div", { id: "top-talkers" });
  const arriving = h("ol", { class: "feed", id: "live-feed" }, h("li", { class: "empty" }, "Waiting for events…"));
  replace(
    main,
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, "Dashboard"),
      h("p", { class: "tabs" }, windows.map(([value, title]) => link(`#/?hours=${value}`, title, { class: value === hours ? "chip active" : "chip" })))
    ),
    status,
    tiles,
    h("section", { class: "card" }, h("h2", {}, "Events and unknown formats"), h("div", { class: "chart" }, eventsCanvas)),
    h(
      "div",
      { class: "two" },
      h("section", { class: "card" }, h("h2", {}, "New incidents by severity"), h("div", { class: "chart" }, severityCanvas)),
      h("section", { class: "card" }, h("h2", {}, "New incidents by current status"), h("div", { class: "chart" }, statusCanvas))
    ),
    h(
      "div",
      { class: "two" },
      h("section", { class: "card" }, h("h2", {}, "Top talkers (bytes sent)"), talkers),
      h("section", { class: "card" }, h("h2", {}, "Arriving now (sampled)"), arriving)
    )
  );

  const charts = [];
  async function load() {
    const data = await api.get("/dashboard", { hours });
    const labels = data.buckets.map((bucket) => label(bucket.start, data.bucket_seconds));
    const totals = data.buckets.reduce(
      (sum, bucket) => ({ events: sum.events + bucket.events, unknown: sum.unknown + bucket.unknown }),
      { events: 0, unknown: 0 }
    );
    replace(
      tiles,
      tile("Events / s (last 5 min)", data.events_per_second.toFixed(data.events_per_second < 10 ? 2 : 1), "tile-rate"),
      tile(`Events (${hours} h)`, count(totals.events), "tile-events"),
      tile("Unknown format", totals.events ? `${((100 * totals.unknown) / totals.events).toFixed(1)} %` : "—", "tile-unknown"),
      tile("Open incidents", count(data.open_incidents), "tile-open")
    );
    for (const chart of charts.splice(0)) chart.destroy();
    charts.push(
      new Chart(eventsCanvas, {
        type: "line",
        data: {
          labels,
          datasets: [
            { label: "events", data: data.buckets.map((bucket) => bucket.events), borderColor: "#3b82c4", backgroundColor: "rgba(59,130,196,0.15)", fill: true, pointRadius: 0, tension: 0.2 },
            { label: "unknown format", data: data.buckets.map((bucket) => bucket.unknown), borderColor: "#c2272d", pointRadius: 0, tension: 0.2 },
          ],
        },
        options: chartOptions(false),
      }),
      new Chart(severityCanvas, {
        type: "bar",
        data: {
          labels,
          datasets: severities.map((severity) => ({ label: severity, data: data.buckets.map((bucket) => bucket.incidents_by_severity[severity]), backgroundColor: severityColors[severity] })),
        },
        options: chartOptions(true),
      }),
      new Chart(statusCanvas, {
        type: "bar",
        data: {
          labels,
          datasets: Object.entries(statusKeys).map(([status, key]) => ({ label: statusNames[status], data: data.buckets.map((bucket) => bucket.incidents_by_status[key]), backgroundColor: statusColors[status] })),
        },
        options: chartOptions(true),
      })
    );
    replace(
      talkers,
      table(
        [
          { title: "Node", value: (talker) => link(`#/nodes/${encodeURIComponent(talker.node_id)}`, nodeLabel(talker.node_id)) },
          { title: "Type", value: (talker) => nodeType(talker.node_id) },
          { title: "Bytes", class: "number", value: (talker) => bytes(talker.bytes) },
          { title: "Events", class: "number", value: (talker) => count(talker.events) },
        ],
        data.top_talkers,
        { empty: "No traffic recorded in this window." }
      )
    );
  }

  await load();
  const refresh = () => load().catch((error) => replace(status, notice("error", error.message)));
  const interval = setInterval(refresh, 30000);
  const refreshSoon = coalesce(refresh, 2000);
  const unsubscribe = subscribeTo("artifacts");
  const stop = onLive((message) => {
    if (message.type === "artifact") {
      showArriving(arriving, message.artifact);
      return;
    }
    if (message.type !== "incident") return;
    refreshSoon.schedule();
  });
  return () => {
    clearInterval(interval);
    refreshSoon.cancel();
    stop();
    unsubscribe();
    for (const chart of charts) chart.destroy();
  };
}

// Newest first, the last dozen.
function showArriving(list, artifact) {
  const empty = list.querySelector(".empty");
  if (empty) empty.remove();
  const who = [artifact.client_ip, artifact.user_name].filter(Boolean).join(" · ");
  list.prepend(
    h(
      "li",
      {},
      h("time", { datetime: artifact.timestamp }, new Date(artifact.timestamp).toLocaleTimeString()),
      " ",
      link(`#/artifacts/${encodeURIComponent(artifact.id)}`, artifact.message_type),
      who ? ` ${who}` : "",
      h("div", { class: "raw" }, artifact.summary)
    )
  );
  while (list.children.length > 12) list.lastElementChild.remove();
}

function tile(title, value, id) {
  return h("div", { class: "tile", id }, h("div", { class: "value" }, value), h("div", { class: "muted" }, title));
}

function label(iso, bucketSeconds) {
  const date = new Date(iso);
  return bucketSeconds >= 86400
    ? date.toLocaleDateString(undefined, { month: "short", day: "numeric" })
    : date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

function chartOptions(stacked) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: "index", intersect: false },
    scales: { x: { stacked, ticks: { maxTicksLimit: 12 } }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
    plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
  };
}
