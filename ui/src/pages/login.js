import { api } from "../api.js";
import { action, h, replace } from "../dom.js";

export function loginPage(main, { next }) {
  const status = h("div", { class: "status" });
  const email = h("input", { type: "email", name: "email", id: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", id: "password", autocomplete: "current-password", required: true });
  const form = h(
    "form",
    {
      class: "card login-card",
      onsubmit: action(status, async () => {
        await api.login(email.value.trim(), password.value);
        location.hash = `#${next && next !== "/login" ? next : "/"}`;
      }),
    },
    h("h1", {}, "wfa"),
    h("p", { class: "muted" }, "Sign in to work incidents."),
    h("label", { for: "email" }, "Email"),
    email,
    h("label", { for: "password" }, "Password"),
    password,
    h("button", { type: "submit", id: "sign-in" }, "Sign in"),
    status
  );
  replace(main, form);
  email.focus();
}
