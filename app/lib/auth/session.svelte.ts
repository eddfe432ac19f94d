// The signed-in user: login against the server, tokens kept on the device, logout. Every tab of the app shares
// one session: it lives in localStorage, each tab follows `storage` events, and a refresh (which spends the one-use
// refresh token) runs in one tab at a time under a Web Lock, re-reading the stored tokens first.
import { passwordProblem, type Role } from '@telehealth/domain/accounts';
import { isMessageKey, type MessageKey } from '../i18n/catalog';
import { forgetCredentials, rememberCredentials, verifyOffline } from './offline-credentials';

export type SessionUser = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  patientId: string | null;
};

type StoredSession = { user: SessionUser; accessToken: string; accessExpiresAt: number; refreshToken: string };

export type LoginResult = { ok: true; offline: boolean } | { ok: false; error: MessageKey };

export type SessionDeps = {
  storage?: Storage;
  fetch?: typeof fetch;
  /** Web Locks; without them refreshes are serialised within this tab only. */
  locks?: LockManager;
  now?: () => number;
  /** Where `storage` events arrive (another tab changed the session); undefined: none. */
  events?: Pick<EventTarget, 'addEventListener'>;
};

export const sessionStorageKey = 'telehealth.session';
const refreshLock = 'telehealth.session.refresh';
const json = { 'content-type': 'application/json' };

/** The i18n key for a refusal from the server: a named password problem, else `error.<code>`, else a generic error. */
export function refusalKey(body: { error?: unknown; reason?: unknown } | undefined): MessageKey {
  const key = body?.error === 'weak_password' && typeof body.reason === 'string' ? `password.${body.reason}` : `error.${String(body?.error ?? 'internal')}`;
  return isMessageKey(key) ? key : 'error.internal';
}

/** The i18n key explaining why a new password is refused (the same rule as the server's), or undefined. */
export function passwordRefusal(password: string, account: readonly string[]): MessageKey | undefined {
  const problem = passwordProblem(password, account);
  return problem ? refusalKey({ error: 'weak_password', reason: problem }) : undefined;
}

export class Session {
  current = $state<StoredSession | undefined>(undefined);
  user = $derived(this.current?.user);
  readonly #storage: Storage | undefined;
  readonly #fetch: typeof fetch;
  readonly #locks: LockManager | undefined;
  readonly #now: () => number;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(deps: SessionDeps = {}) {
    this.#storage = deps.storage ?? (typeof localStorage === 'undefined' ? undefined : localStorage);
    this.#fetch = deps.fetch ?? ((...args) => fetch(...args));
    this.#locks = deps.locks ?? (typeof navigator === 'undefined' ? undefined : navigator.locks);
    this.#now = deps.now ?? Date.now;
    this.current = this.read();
    deps.events?.addEventListener('storage', (event) => {
      const key = (event as StorageEvent).key;
      if (key === sessionStorageKey || key === null) this.current = this.read();
    });
  }

  private read(): StoredSession | undefined {
    const raw = this.#storage?.getItem(sessionStorageKey);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as StoredSession;
    } catch (err) {
      console.warn('discarding an unreadable stored session', err);
      this.#storage?.removeItem(sessionStorageKey);
      return undefined;
    }
  }

  private keep(session: StoredSession | undefined) {
    this.current = session;
    if (session) this.#storage?.setItem(sessionStorageKey, JSON.stringify(session));
    else this.#storage?.removeItem(sessionStorageKey);
  }

  /** A patient creates an account at a station (online only: the server gives the account its patient id). */
  async register(input: { phone: string; password: string; fullName: string; unitId: string }): Promise<LoginResult> {
    let response: Response;
    try {
      response = await this.#fetch('/api/auth/register', { method: 'POST', headers: json, body: JSON.stringify(input) });
    } catch {
      return { ok: false, error: 'error.registerOffline' };
    }
    return this.accept(response, input.phone, input.password);
  }

  /** Whether this server waits for its first admin (a fresh deployment); false when unknown (offline). */
  async setupNeeded(): Promise<boolean> {
    try {
      const response = await this.#fetch('/api/setup');
      return response.ok && ((await response.json()) as { needed?: boolean }).needed === true;
    } catch {
      return false;
    }
  }

  /** Creates the first admin of a fresh deployment with the one-time code the server printed. */
  async setup(input: { code: string; username: string; displayName: string; password: string }): Promise<LoginResult> {
    let response: Response;
    try {
      response = await this.#fetch('/api/setup', { method: 'POST', headers: json, body: JSON.stringify(input) });
    } catch {
      return { ok: false, error: 'error.network' };
    }
    return this.accept(response, input.username, input.password);
  }

  async login(username: string, password: string): Promise<LoginResult> {
    let response: Response;
    try {
      response = await this.#fetch('/api/auth/login', { method: 'POST', headers: json, body: JSON.stringify({ username, password }) });
    } catch {
      return this.loginOffline(username, password);
    }
    return this.accept(response, username, password);
  }

  /** Keeps the session a login or registration answered with, and the credentials for offline login. */
  private async accept(response: Response, username: string, password: string): Promise<LoginResult> {
    const body = (await response.json().catch(() => undefined)) as (StoredSession & { error?: string; reason?: string }) | undefined;
    if (!response.ok || !body?.user) {
      // Disabled by an administrator (said only to whoever gave the right password): no offline login either.
      if (body?.error === 'account_disabled' && this.#storage) forgetCredentials(username, this.#storage);
      return { ok: false, error: refusalKey(body) };
    }
    const { user, accessToken, accessExpiresAt, refreshToken } = body;
    this.keep({ user, accessToken, accessExpiresAt, refreshToken });
    if (this.#storage) await rememberCredentials(username, password, user, this.#storage);
    return { ok: true, offline: false };
  }

  /** No network: the same person may open the app if they logged in online on this device before. Sync waits for an online login. */
  private async loginOffline(username: string, password: string): Promise<LoginResult> {
    const user = this.#storage && (await verifyOffline<SessionUser>(username, password, this.#storage));
    if (!user) return { ok: false, error: 'error.network' };
    this.keep({ user, accessToken: '', accessExpiresAt: 0, refreshToken: '' });
    return { ok: true, offline: true };
  }

  private fresh(s: StoredSession | undefined): string | undefined {
    return s && s.accessToken && s.accessExpiresAt - 30_000 > this.#now() ? s.accessToken : undefined;
  }

  /** A valid access token, refreshed when it has expired; undefined when offline with an expired token or logged out. */
  async accessToken(): Promise<string | undefined> {
    const token = this.fresh(this.current);
    if (token) return token;
    if (!this.current?.refreshToken) return undefined;
    return this.exclusive(() => this.refresh());
  }

  /** One refresh at a time across tabs (Web Lock) and within this tab. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.#locks) return this.#locks.request(refreshLock, task);
    const run = this.#chain.then(task);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  private async refresh(): Promise<string | undefined> {
    // Another tab may have refreshed while this one waited for the lock: its rotated tokens are in storage.
    const current = this.read() ?? this.current;
    if (current !== this.current) this.current = current;
    const token = this.fresh(current);
    if (token) return token;
    if (!current?.refreshToken) return undefined;
    let response: Response;
    try {
      response = await this.#fetch('/api/auth/refresh', { method: 'POST', headers: json, body: JSON.stringify({ refreshToken: current.refreshToken }) });
    } catch {
      return undefined;
    }
    if (!response.ok) return undefined;
    const body = (await response.json()) as StoredSession;
    this.keep({ user: body.user, accessToken: body.accessToken, accessExpiresAt: body.accessExpiresAt, refreshToken: body.refreshToken });
    return body.accessToken;
  }

  /** Ends the session here and on the server (its refresh token is revoked; offline, it simply expires). */
  async logout(): Promise<void> {
    const refreshToken = this.current?.refreshToken;
    this.keep(undefined);
    if (!refreshToken) return;
    await this.#fetch('/api/auth/logout', { method: 'POST', headers: json, body: JSON.stringify({ refreshToken }), keepalive: true }).catch(() => undefined);
  }
}

export const session = new Session({ events: typeof window === 'undefined' ? undefined : window });
