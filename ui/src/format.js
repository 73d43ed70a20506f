// How values read on screen.

export const statusNames = { 1: "New", 2: "Investigating", 3: "Resolved", 4: "Closed", 5: "Disrupted" };
export const severities = ["informational", "low", "medium", "high", "critical"];

export function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

export function ago(iso) {
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return "";
  if (seconds < 60) return `${Math.max(seconds, 0)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

export function count(value) {
  return new Intl.NumberFormat().format(value || 0);
}

export function bytes(value) {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let amount = value || 0;
  let unit = 0;
  while (amount >= 1024 && unit < units.length - 1) {
    amount /= 1024;
    unit += 1;
  }
  return `${amount.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

// Node ids are "<type>:<value>"; the value is what an analyst reads.
export function nodeLabel(id) {
  const colon = id.indexOf(":");
  return colon < 0 ? id : id.slice(colon + 1);
}

export function nodeType(id) {
  const colon = id.indexOf(":");
  return colon < 0 ? "" : id.slice(0, colon);
}
