// Bulletins (bản tin, M9) on the device: the Department of Health's news for the province of the signed-in account,
// fetched when online (GET /api/bulletins, 304 when unchanged) and kept in this device's storage, per account, so that
// they read offline; which ones were read, so that the home page shows how many are new. A Department's
// administrator publishes and withdraws them here too (the server checks and audits).
import type { MessageKey } from './i18n/catalog';
import { refusalKey, session } from './auth/session.svelte';
import { fetchNewer, keep, readKept } from './kept-list';

export type Bulletin = { id: string; unitId: string; unitName: string; title: string; body: string; publishedAt: string; withdrawnAt: string | null };

const text = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;
/** The bulletins as served or stored, read by their shape: entries that do not fit are left out, never cast. */
export function readBulletins(value: unknown): Bulletin[] {
  if (!Array.isArray(value)) return [];
  return value
    .slice(0, 200)
    .filter(
      (b): b is Bulletin =>
        typeof b === 'object' &&
        b !== null &&
        text(b.id, 64) &&
        text(b.unitId, 64) &&
        text(b.unitName, 200) &&
        text(b.title, 200) &&
        text(b.body, 5000) &&
        text(b.publishedAt, 40) &&
        Number.isFinite(Date.parse(b.publishedAt)) &&
        (b.withdrawnAt === null || text(b.withdrawnAt, 40))
    )
    .map((b) => ({ id: b.id, unitId: b.unitId, unitName: b.unitName, title: b.title, body: b.body, publishedAt: b.publishedAt, withdrawnAt: b.withdrawnAt }));
}

type Stored = { etag: string | null; bulletins: Bulletin[]; read: string[] };
const keyOf = (userId: string) => `telehealth.bulletins.${userId}`;

class Bulletins {
  list = $state.raw<Bulletin[]>([]);
  read = $state.raw<string[]>([]);
  #etag: string | null = null;
  #userId: string | undefined;

  /** The unread ones (not withdrawn). */
  get unread(): number {
    return this.list.filter((b) => !b.withdrawnAt && !this.read.includes(b.id)).length;
  }

  /** Loads what this device keeps for the account (once per account). */
  private load() {
    const userId = session.user?.id;
    if (userId === this.#userId) return;
    this.#userId = userId;
    const kept = userId ? readKept(keyOf(userId)) : undefined;
    this.list = readBulletins(kept?.bulletins);
    this.read = Array.isArray(kept?.read) ? kept.read.filter((id): id is string => text(id, 64)).slice(-500) : [];
    this.#etag = typeof kept?.etag === 'string' ? kept.etag : null;
  }

  private store() {
    if (this.#userId) keep(keyOf(this.#userId), { etag: this.#etag, bulletins: this.list, read: this.read } satisfies Stored);
  }

  /** Refreshes from the server; offline (or refused), what the device keeps stays. */
  async refresh() {
    this.load();
    const newer = await fetchNewer('/api/bulletins', this.#etag);
    if (!newer) return;
    this.list = readBulletins(newer.body.bulletins);
    this.#etag = newer.etag;
    // Forget the read marks of bulletins no longer listed.
    this.read = this.read.filter((id) => this.list.some((b) => b.id === id));
    this.store();
  }

  /** What the device keeps, without the network. */
  open() {
    this.load();
  }

  markAllRead() {
    this.load();
    const ids = this.list.map((b) => b.id);
    if (ids.every((id) => this.read.includes(id))) return;
    this.read = [...new Set([...this.read, ...ids])];
    this.store();
  }

  /** Publishes a bulletin (a Department's administrator); the refusal's key and detail when the server says no. */
  async publish(title: string, body: string, unitId?: string): Promise<{ ok: true } | { ok: false; error: MessageKey; detail?: string }> {
    const r = await this.post('/api/admin/bulletins', { title, body, ...(unitId ? { unitId } : {}) });
    if (r.ok) await this.refresh();
    return r;
  }

  async withdraw(id: string): Promise<{ ok: true } | { ok: false; error: MessageKey; detail?: string }> {
    const r = await this.post(`/api/admin/bulletins/${encodeURIComponent(id)}/withdraw`, {});
    if (r.ok) await this.refresh();
    return r;
  }

  private async post(path: string, body: unknown): Promise<{ ok: true } | { ok: false; error: MessageKey; detail?: string }> {
    const token = await session.accessToken();
    if (!token) return { ok: false, error: 'error.unauthorized' };
    try {
      const res = await fetch(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.ok) return { ok: true };
      const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      return { ok: false, error: refusalKey(json), detail: typeof json?.message === 'string' ? json.message.slice(0, 500) : undefined };
    } catch {
      return { ok: false, error: 'admin.offline' };
    }
  }
}

export const bulletins = new Bulletins();
