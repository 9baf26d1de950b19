/** Ledger times are epoch seconds. */
export function fromSeconds(seconds: number | null | undefined): string {
  return seconds ? new Date(seconds * 1000).toISOString().replace('.000Z', 'Z') : '—';
}

/** Agents' and the gateway's own times are epoch milliseconds. */
export function fromMillis(millis: number | null | undefined): string {
  return millis ? new Date(millis).toISOString() : '—';
}

export function credits(amount: number | null | undefined): string {
  return amount === null || amount === undefined ? '—' : amount.toLocaleString('en');
}

export function short(id: string, keep = 18): string {
  return id.length > keep ? `${id.slice(0, keep)}…` : id;
}

/** A ledger time (epoch seconds) as the UTC hour and minute, for chart axes. */
export function clock(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(11, 16);
}

/** The console's path of a node's detail page (node ids hold '/' and '@': each part is encoded on its own). */
export function nodePath(nodeId: string): string {
  return `/nodes/${nodeId.split('/').map(encodeURIComponent).join('/')}`;
}
