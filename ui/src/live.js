// The live connection to /ws: incident events as they happen, heartbeats, and lag notices.
// Reconnects on its own (1 s doubling to 30 s) while someone is signed in.

import { session } from "./api.js";

const listeners = new Set();
const stateListeners = new Set();
let socket = null;
let retryDelay = 1000;
let retryTimer = null;
let wanted = false;

export const liveState = { connected: false, lastHeartbeat: null, missed: 0 };

// Incident events and heartbeats always; the sampled artifact feed only while a page shows it,
// since the server reads storage for it every second someone is subscribed.
const topics = new Set(["incidents", "health"]);

function sendTopics() {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ subscribe: [...topics] }));
}

export function subscribeTo(topic) {
  topics.add(topic);
  sendTopics();
  return () => {
    topics.delete(topic);
    sendTopics();
  };
}

function setConnected(connected) {
  liveState.connected = connected;
  for (const listener of stateListeners) listener(liveState);
}

export function onLive(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function onLiveState(listener) {
  stateListeners.add(listener);
  listener(liveState);
  return () => stateListeners.delete(listener);
}

export function connectLive() {
  wanted = true;
  if (socket || !session.token) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${location.host}/ws?access_token=${encodeURIComponent(session.token)}`;
  socket = new WebSocket(url);
  socket.addEventListener("open", () => {
    retryDelay = 1000;
    sendTopics();
    setConnected(true);
  });
  socket.addEventListener("message", (message) => {
    let data;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    if (data.type === "heartbeat") liveState.lastHeartbeat = data.at;
    if (data.type === "lagged") liveState.missed += data.missed;
    for (const listener of listeners) listener(data);
    if (data.type === "heartbeat" || data.type === "lagged") for (const listener of stateListeners) listener(liveState);
  });
  socket.addEventListener("close", () => {
    socket = null;
    setConnected(false);
    if (!wanted || !session.token) return;
    retryTimer = setTimeout(connectLive, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  });
}

export function disconnectLive() {
  wanted = false;
  clearTimeout(retryTimer);
  if (socket) socket.close();
  socket = null;
}

// Runs `action` once, `delay` ms after the first of any number of `schedule()` calls, then waits
// for the next call. A busy stream of events thus refreshes a page every `delay` ms; a debounce
// that restarted its timer on each event would never refresh it while the events kept coming.
export function coalesce(action, delay) {
  let timer = null;
  return {
    schedule() {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        action();
      }, delay);
    },
    cancel() {
      clearTimeout(timer);
      timer = null;
    },
  };
}
