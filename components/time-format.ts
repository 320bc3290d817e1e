/** "just now", "12 s ago", "3 min ago", "2 h ago", else the date: for ages in Activity. */
export function formatAge(ms: number, at: number): string {
  if (ms < 5_000) return 'just now';
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  return new Date(at).toLocaleDateString();
}

/** "in 12 s", "in 3 min": for the next try. */
export function formatWait(ms: number): string {
  if (ms < 1_000) return 'in a moment';
  if (ms < 60_000) return `in ${Math.ceil(ms / 1000)} s`;
  return `in ${Math.ceil(ms / 60_000)} min`;
}

/** "Mar 14, 15:42" in the browser's locale. */
export function formatWhen(at: number): string {
  return new Date(at).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
