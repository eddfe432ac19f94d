// Openings of charts of other units (a referral read by the upper unit) are part of the audit trail (circular 49
// art. 4.3). The device records each one at once, offline too, in its local storage, and sends them to the server
// (POST /api/audit/opened) when it is online; what was sent is removed, what failed stays for the next time.

export type Opening = { docId: string; at: string };

/** At most this many openings wait on a device (about 60 KB); the oldest go first past it, and that is logged. */
export const maxQueuedOpenings = 1_000;
const batch = 100;

const chartId = /^patient:[A-Za-z0-9_.-]{1,64}$/;

/** The queued openings, read by their schema: anything else in the key is dropped, never trusted. */
export function readOpenings(storage: Pick<Storage, 'getItem'>, key: string): Opening[] {
  let raw: unknown;
  try {
    raw = JSON.parse(storage.getItem(key) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (o): o is Opening =>
      typeof o === 'object' && o !== null && typeof o.docId === 'string' && chartId.test(o.docId) && typeof o.at === 'string' && !Number.isNaN(Date.parse(o.at)) && Object.keys(o).length === 2
  );
}

export function recordOpening(storage: Pick<Storage, 'getItem' | 'setItem'>, key: string, opening: Opening): void {
  const queued = [...readOpenings(storage, key), opening];
  storage.setItem(key, JSON.stringify(queued.slice(-maxQueuedOpenings)));
}

/**
 * Sends the queued openings in batches; `send` resolves true when the server recorded a batch. Openings recorded
 * while a batch is on its way stay queued. Returns how many were sent.
 */
export async function flushOpenings(storage: Pick<Storage, 'getItem' | 'setItem'>, key: string, send: (entries: Opening[]) => Promise<boolean>): Promise<number> {
  let sent = 0;
  for (;;) {
    const queued = readOpenings(storage, key);
    const next = queued.slice(0, batch);
    if (next.length === 0 || !(await send(next))) return sent;
    // Remove exactly what was sent (the same entries at the head), keeping anything recorded meanwhile.
    const now = readOpenings(storage, key);
    const sameHead = next.every((o, i) => now[i]?.docId === o.docId && now[i]?.at === o.at);
    storage.setItem(key, JSON.stringify(sameHead ? now.slice(next.length) : now));
    sent += next.length;
  }
}
