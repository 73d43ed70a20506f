// The API client of the UI: same origin, bearer token from the session, the API's envelope unwrapped.

const base = "/api/v1";
const tokenKey = "wfa.token";

export class APIError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(tokenKey);
  },
  set token(value) {
    if (value) sessionStorage.setItem(tokenKey, value);
    else sessionStorage.removeItem(tokenKey);
  },
  // Who is signed in (GET /auth/me), loaded once per page load.
  me: null,
  // Mirrors the server's rule (Permission.grants): admin grants everything, and a level grants
  // the levels below it in the same area (manage > write > read). The server still decides.
  can(permission) {
    if (!this.me) return false;
    const levels = ["read", "write", "manage"];
    const [area, level] = permission.split(":");
    return this.me.permissions.some((held) => {
      if (held === "admin") return true;
      const [heldArea, heldLevel] = held.split(":");
      return heldArea === area && levels.indexOf(heldLevel) >= levels.indexOf(level);
    });
  },
};

// Listeners told when the server says the token is no longer good (expired, revoked user).
const signedOutListeners = new Set();
export function onSignedOut(listener) {
  signedOutListeners.add(listener);
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function request(method, path, { params, body, contentType } = {}) {
  const headers = { Accept: "application/json" };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let payload;
  if (body !== undefined) {
    headers["Content-Type"] = contentType || "application/json";
    payload = contentType ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(base + path + query(params), { method, headers, body: payload });
  } catch (error) {
    throw new APIError(0, "The server cannot be reached. Is wfa serve running?", "network");
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    if (response.status === 401 && path !== "/auth/login") {
      session.token = null;
      for (const listener of signedOutListeners) listener();
    }
    throw new APIError(response.status, (json && json.message) || `${response.status} ${response.statusText}`, json && json.code);
  }
  return json ? json.data : null;
}

export const api = {
  get: (path, params) => request("GET", path, { params }),
  post: (path, body, options) => request("POST", path, { body, ...options }),
  put: (path, body) => request("PUT", path, { body }),
  patch: (path, body) => request("PATCH", path, { body }),
  delete: (path) => request("DELETE", path),

  async login(email, password) {
    const login = await request("POST", "/auth/login", { body: { email, password } });
    session.token = login.token;
    session.me = await request("GET", "/auth/me");
    return login;
  },

  async loadSession() {
    if (!session.token) return null;
    try {
      session.me = await request("GET", "/auth/me");
    } catch (error) {
      if (error.status === 401) return null;
      throw error;
    }
    return session.me;
  },

  logout() {
    session.token = null;
    session.me = null;
  },
};

// Encodes an id for a path segment (node ids contain colons and slashes).
export const segment = (id) => encodeURIComponent(id);
