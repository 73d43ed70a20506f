// The wfa analyst UI: a hash-routed single page over the API and /ws of the same origin.

import { api, onSignedOut, session } from "./api.js";
import { h, notice, replace } from "./dom.js";
import { connectLive, disconnectLive, onLiveState } from "./live.js";
import { loginPage } from "./pages/login.js";
import { dashboardPage } from "./pages/dashboard.js";
import { incidentListPage } from "./pages/incidents.js";
import { incidentPage } from "./pages/incident.js";
import { artifactSearchPage, artifactPage } from "./pages/artifacts.js";
import { nodePage } from "./pages/node.js";
import { rulesPage, ruleTestPage } from "./pages/rules.js";
import { settingsPage } from "./pages/settings.js";

// Each route: a pattern over the hash path and the page that renders it. A page renders into
// the main element and may return a cleanup function, called when the analyst navigates away.
const routes = [
  { pattern: /^\/$/, page: dashboardPage, nav: "dashboard" },
  { pattern: /^\/incidents$/, page: incidentListPage, nav: "incidents" },
  { pattern: /^\/incidents\/(.+)$/, page: incidentPage, nav: "incidents" },
  { pattern: /^\/artifacts$/, page: artifactSearchPage, nav: "artifacts" },
  { pattern: /^\/artifacts\/(.+)$/, page: artifactPage, nav: "artifacts" },
  { pattern: /^\/nodes\/(.+)$/, page: nodePage, nav: "artifacts" },
  { pattern: /^\/rules$/, page: rulesPage, nav: "rules" },
  { pattern: /^\/rules\/test$/, page: ruleTestPage, nav: "rules" },
  { pattern: /^\/settings$/, page: settingsPage, nav: "settings" },
];

const navItems = [
  ["dashboard", "#/", "Dashboard"],
  ["incidents", "#/incidents", "Incidents"],
  ["artifacts", "#/artifacts", "Search"],
  ["rules", "#/rules", "Rules"],
  ["settings", "#/settings", "Settings"],
];

const app = document.getElementById("app");
let cleanup = null;

function currentPath() {
  const hash = location.hash.replace(/^#/, "");
  const [path, search] = hash.split("?");
  return { path: path || "/", params: new URLSearchParams(search || "") };
}

function shell(active) {
  const liveBadge = h("span", { class: "live-badge", id: "live-state" }, "offline");
  onLiveState((state) => {
    liveBadge.textContent = state.connected ? "live" : "offline";
    liveBadge.className = `live-badge ${state.connected ? "on" : "off"}`;
    liveBadge.title = state.missed ? `${state.missed} live messages missed; lists reload on the next event` : "";
  });
  const main = h("main", { id: "page" });
  const header = h(
    "header",
    { class: "top" },
    h("a", { class: "brand", href: "#/" }, "wfa"),
    h(
      "nav",
      {},
      navItems.map(([key, href, title]) => h("a", { href, class: key === active ? "active" : "", dataset: { nav: key } }, title))
    ),
    h(
      "div",
      { class: "who" },
      liveBadge,
      h("span", { class: "user" }, session.me && session.me.user ? session.me.user.email : ""),
      h(
        "button",
        {
          class: "link",
          id: "sign-out",
          onclick: () => {
            api.logout();
            disconnectLive();
            location.hash = "#/login";
          },
        },
        "Sign out"
      )
    )
  );
  replace(app, header, main);
  return main;
}

async function render() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const { path, params } = currentPath();
  if (path === "/login" || !session.token) {
    disconnectLive();
    const main = h("main", { id: "page", class: "login" });
    replace(app, main);
    loginPage(main, { next: path === "/login" ? params.get("next") || "/" : path });
    return;
  }
  if (!session.me) {
    try {
      if (!(await api.loadSession())) {
        location.hash = `#/login?next=${encodeURIComponent(path)}`;
        return;
      }
    } catch (error) {
      replace(app, notice("error", error.message));
      return;
    }
  }
  connectLive();
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const main = shell(route.nav);
    try {
      cleanup = (await route.page(main, { id: match[1] && decodeURIComponent(match[1]), params })) || null;
    } catch (error) {
      main.appendChild(notice("error", error.message));
    }
    return;
  }
  const main = shell("");
  main.appendChild(notice("error", `No page at ${path}.`));
}

onSignedOut(() => {
  const { path } = currentPath();
  if (path !== "/login") location.hash = `#/login?next=${encodeURIComponent(path)}`;
});
window.addEventListener("hashchange", render);
render();
