import { api, segment, session } from "../api.js";
import { action, h, notice, replace, table } from "../dom.js";
import { severities, when } from "../format.js";

const incidentEvents = ["incident.created", "incident.status_changed", "incident.severity_changed", "incident.assigned", "incident.note_added"];

// Settings: users and roles, API keys, retention, notification channels and rules. Each section
// shows only what the signed-in user may read, and forms only what they may change.
export async function settingsPage(main) {
  const status = h("div", { class: "status", id: "settings-status" });
  if (!session.can("settings:read")) {
    replace(main, h("h1", {}, "Settings"), notice("info", "Your role may not read settings (settings:read)."));
    return;
  }
  const manage = session.can("settings:manage");
  const write = session.can("settings:write");
  const [users, roles, keys, retention, channels, rules, deliveries] = await Promise.all([
    api.get("/users", { limit: 500 }),
    api.get("/roles"),
    api.get("/api-keys"),
    api.get("/settings/retention"),
    api.get("/notification-channels"),
    api.get("/notification-rules"),
    api.get("/notification-deliveries", { limit: 20 }),
  ]);
  const roleName = (id) => (roles.find((role) => role.id === id) || { name: id }).name;
  const channelName = (id) => (channels.find((channel) => channel.id === id) || { name: id }).name;
  const reload = () => settingsPage(main);

  replace(
    main,
    h("div", { class: "page-head" }, h("h1", {}, "Settings")),
    status,
    h(
      "section",
      { class: "card", id: "users" },
      h("h2", {}, "Users"),
      table(
        [
          { title: "Email", value: (user) => user.email },
          { title: "Name", value: (user) => user.display_name },
          { title: "Role", value: (user) => roleName(user.role_id) },
          { title: "State", value: (user) => (user.disabled ? "disabled" : "active") },
          {
            title: "",
            value: (user) =>
              manage && user.id !== session.me.user.id
                ? h(
                    "button",
                    {
                      class: "link",
                      onclick: action(status, async () => {
                        await api.put(`/users/${segment(user.id)}`, { disabled: !user.disabled });
                        await reload();
                      }),
                    },
                    user.disabled ? "enable" : "disable"
                  )
                : null,
          },
        ],
        users.items
      ),
      manage ? userForm(status, roles, reload) : null
    ),
    h(
      "section",
      { class: "card", id: "roles" },
      h("h2", {}, "Roles"),
      table(
        [
          { title: "Role", value: (role) => role.name },
          { title: "Permissions", class: "code", value: (role) => role.permissions.join(", ") },
          { title: "", value: (role) => (role.built_in ? "built in" : "") },
        ],
        roles
      )
    ),
    h(
      "section",
      { class: "card", id: "api-keys" },
      h("h2", {}, "API keys"),
      table(
        [
          { title: "Name", value: (key) => key.name },
          { title: "Prefix", class: "code", value: (key) => key.prefix },
          { title: "Role", value: (key) => roleName(key.role_id) },
          { title: "Created", value: (key) => when(key.created_at) },
          {
            title: "",
            value: (key) =>
              key.revoked
                ? `revoked ${when(key.revoked_at)}`
                : manage
                  ? removeButton(status, "revoke", `/api-keys/${segment(key.id)}`, reload, `Revoke the key "${key.name}"? Clients using it stop working.`)
                  : null,
          },
        ],
        keys,
        { empty: "No API keys." }
      ),
      manage ? keyForm(status, roles, reload) : null
    ),
    h("section", { class: "card", id: "retention" }, h("h2", {}, "Retention (days)"), retentionForm(status, retention, manage)),
    h(
      "section",
      { class: "card", id: "notifications" },
      h("h2", {}, "Notification channels"),
      table(
        [
          { title: "Name", value: (channel) => channel.name },
          { title: "Kind", value: (channel) => channel.kind },
          { title: "URL", class: "code", value: (channel) => channel.url },
          { title: "Signed", value: (channel) => (channel.has_signing_secret ? "yes" : "no") },
          {
            title: "",
            value: (channel) =>
              write
                ? [
                    h(
                      "button",
                      {
                        class: "link",
                        onclick: action(status, async () => {
                          const delivery = await api.post(`/notification-channels/${segment(channel.id)}/test`);
                          replace(status, notice(delivery.status === "sent" ? "ok" : "error", `Test to ${channel.name}: ${delivery.status}${delivery.error ? ` (${delivery.error})` : ""}.`));
                        }),
                      },
                      "send test"
                    ),
                    " ",
                    removeButton(status, "delete", `/notification-channels/${segment(channel.id)}`, reload, `Delete the channel "${channel.name}" and its rules?`),
                  ]
                : null,
          },
        ],
        channels,
        { empty: "No channels. Add a webhook to send incidents to a SOAR or chat tool." }
      ),
      write ? channelForm(status, reload) : null,
      h("h2", {}, "Notification rules"),
      table(
        [
          { title: "Name", value: (rule) => rule.name },
          { title: "Channel", value: (rule) => channelName(rule.channel_id) },
          { title: "Events", value: (rule) => rule.events.join(", ") },
          { title: "From severity", value: (rule) => rule.minimum_severity },
          { title: "Cooldown", value: (rule) => `${rule.cooldown_seconds} s` },
          {
            title: "",
            value: (rule) =>
              write
                ? removeButton(status, "delete", `/notification-rules/${segment(rule.id)}`, reload)
                : null,
          },
        ],
        rules,
        { empty: "No rules: nothing is sent." }
      ),
      write && channels.length ? ruleForm(status, channels, reload) : null,
      h("h2", {}, "Recent deliveries"),
      table(
        [
          { title: "When", value: (delivery) => when(delivery.created_at) },
          { title: "Channel", value: (delivery) => channelName(delivery.channel_id) },
          { title: "Event", value: (delivery) => delivery.event },
          { title: "Result", value: (delivery) => `${delivery.status} after ${delivery.attempts} attempt(s)` },
          { title: "Error", value: (delivery) => delivery.error || "" },
        ],
        deliveries.items,
        { empty: "Nothing sent yet." }
      )
    )
  );
}

// A button that deletes `path` (after asking, when `question` is given) and reloads the page.
function removeButton(status, title, path, reload, question) {
  return h(
    "button",
    {
      class: "link danger",
      onclick: action(status, async () => {
        if (question && !confirm(question)) return;
        await api.delete(path);
        await reload();
      }),
    },
    title
  );
}

function userForm(status, roles, reload) {
  const email = h("input", { type: "email", id: "new-user-email", required: true, placeholder: "email" });
  const name = h("input", { type: "text", id: "new-user-name", required: true, placeholder: "display name" });
  const password = h("input", { type: "password", id: "new-user-password", required: true, minlength: 12, placeholder: "password (12+)", autocomplete: "new-password" });
  const role = h("select", { id: "new-user-role" }, roles.map((value) => h("option", { value: value.id }, value.name)));
  return h(
    "form",
    {
      class: "inline",
      onsubmit: action(status, async () => {
        await api.post("/users", { email: email.value.trim(), display_name: name.value.trim(), password: password.value, role_id: role.value });
        await reload();
      }),
    },
    email,
    name,
    password,
    role,
    h("button", { type: "submit" }, "Add user")
  );
}

function keyForm(status, roles, reload) {
  const name = h("input", { type: "text", id: "new-key-name", required: true, placeholder: "what uses it" });
  const role = h("select", { id: "new-key-role" }, roles.map((value) => h("option", { value: value.id }, value.name)));
  return h(
    "form",
    {
      class: "inline",
      onsubmit: action(status, async () => {
        const created = await api.post("/api-keys", { name: name.value.trim(), role_id: role.value });
        await reload();
        replace(
          document.getElementById("settings-status"),
          h("div", { class: "notice ok secret" }, "The new key, shown only now: ", h("code", { id: "new-key" }, created.key))
        );
      }),
    },
    name,
    role,
    h("button", { type: "submit" }, "Create key")
  );
}

function retentionForm(status, retention, manage) {
  const fields = [
    ["artifacts_days", "Artifacts"],
    ["graph_days", "Graph"],
    ["incidents_days", "Incidents"],
    ["work_units_days", "Work units"],
    ["reports_days", "Reports"],
  ];
  const inputs = Object.fromEntries(fields.map(([key]) => [key, h("input", { type: "number", id: `retention-${key}`, min: 1, max: 36500, value: retention[key], disabled: !manage })]));
  return h(
    "form",
    {
      class: "inline",
      onsubmit: action(status, async () => {
        await api.put("/settings/retention", Object.fromEntries(fields.map(([key]) => [key, Number(inputs[key].value)])));
        replace(status, notice("ok", "Retention saved; the next maintenance round applies it."));
      }),
    },
    fields.map(([key, title]) => h("label", {}, `${title} `, inputs[key])),
    manage ? h("button", { type: "submit" }, "Save") : null
  );
}

function channelForm(status, reload) {
  const name = h("input", { type: "text", id: "channel-name", required: true, placeholder: "name" });
  const kind = h("select", { id: "channel-kind" }, h("option", { value: "webhook" }, "webhook (signed JSON)"), h("option", { value: "slack" }, "Slack-compatible"));
  const url = h("input", { type: "url", id: "channel-url", required: true, placeholder: "https://soar.example/hooks/wfa", size: 36 });
  return h(
    "form",
    {
      class: "inline",
      onsubmit: action(status, async () => {
        const created = await api.post("/notification-channels", { name: name.value.trim(), kind: kind.value, url: url.value.trim() });
        await reload();
        if (created.signing_secret) {
          replace(
            document.getElementById("settings-status"),
            h("div", { class: "notice ok secret" }, `Signing secret of ${created.channel.name}, shown only now: `, h("code", {}, created.signing_secret))
          );
        }
      }),
    },
    name,
    kind,
    url,
    h("button", { type: "submit" }, "Add channel")
  );
}

function ruleForm(status, channels, reload) {
  const name = h("input", { type: "text", id: "rule-name", required: true, placeholder: "name" });
  const channel = h("select", { id: "rule-channel" }, channels.map((value) => h("option", { value: value.id }, value.name)));
  const boxes = incidentEvents.map((event) => h("input", { type: "checkbox", value: event, checked: event === "incident.created" }));
  const severity = h("select", { id: "rule-severity" }, severities.map((value) => h("option", { value, selected: value === "high" }, `${value}+`)));
  return h(
    "form",
    {
      class: "inline",
      onsubmit: action(status, async () => {
        const events = boxes.filter((box) => box.checked).map((box) => box.value);
        await api.post("/notification-rules", { name: name.value.trim(), channel_id: channel.value, events, minimum_severity: severity.value });
        await reload();
      }),
    },
    name,
    channel,
    boxes.map((box) => h("label", { class: "check" }, box, ` ${box.value.replace("incident.", "")}`)),
    severity,
    h("button", { type: "submit" }, "Add rule")
  );
}
