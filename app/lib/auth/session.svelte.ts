// The signed-in user: login against the server, tokens kept on the device, logout.
import type { Role } from '@telehealth/domain';
import { isMessageKey, type MessageKey } from '../i18n/catalog';
import { rememberCredentials, verifyOffline } from './offline-credentials';

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

const storageKey = 'telehealth.session';

class Session {
  current = $state<StoredSession | undefined>(undefined);
  user = $derived(this.current?.user);

  constructor() {
    if (typeof localStorage === 'undefined') return;
    const raw = localStorage.getItem(storageKey);
    if (!raw) return;
    try {
      this.current = JSON.parse(raw) as StoredSession;
    } catch (err) {
      console.warn('discarding an unreadable stored session', err);
      localStorage.removeItem(storageKey);
    }
  }

  /** A patient creates an account at a station (online only: the server gives the account its patient id). */
  async register(input: { phone: string; password: string; fullName: string; unitId: string }): Promise<LoginResult> {
    let response: Response;
    try {
      response = await fetch('/api/auth/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    } catch {
      return { ok: false, error: 'error.registerOffline' };
    }
    return this.accept(response, input.phone, input.password);
  }

  async login(username: string, password: string): Promise<LoginResult> {
    let response: Response;
    try {
      response = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password })
      });
    } catch {
      return this.loginOffline(username, password);
    }
    return this.accept(response, username, password);
  }

  /** Keeps the session a login or registration answered with, and the credentials for offline login. */
  private async accept(response: Response, username: string, password: string): Promise<LoginResult> {
    const body = (await response.json().catch(() => undefined)) as (StoredSession & { error?: string }) | undefined;
    if (!response.ok || !body?.user) {
      const key = `error.${body?.error ?? 'internal'}`;
      return { ok: false, error: isMessageKey(key) ? key : 'error.internal' };
    }
    const { user, accessToken, accessExpiresAt, refreshToken } = body;
    this.current = { user, accessToken, accessExpiresAt, refreshToken };
    localStorage.setItem(storageKey, JSON.stringify(this.current));
    await rememberCredentials(username, password, user);
    return { ok: true, offline: false };
  }

  /** No network: the same person may open the app if they logged in online on this device before. Sync waits for an online login. */
  private async loginOffline(username: string, password: string): Promise<LoginResult> {
    const user = await verifyOffline<SessionUser>(username, password);
    if (!user) return { ok: false, error: 'error.network' };
    this.current = { user, accessToken: '', accessExpiresAt: 0, refreshToken: '' };
    localStorage.setItem(storageKey, JSON.stringify(this.current));
    return { ok: true, offline: true };
  }

  /** A valid access token, refreshed when it has expired; undefined when offline with an expired token or logged out. */
  async accessToken(): Promise<string | undefined> {
    const current = this.current;
    if (!current) return undefined;
    if (current.accessExpiresAt - 30_000 > Date.now()) return current.accessToken;
    if (!current.refreshToken) return undefined;
    let response: Response;
    try {
      response = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken })
      });
    } catch {
      return undefined;
    }
    if (!response.ok) return undefined;
    const body = (await response.json()) as StoredSession;
    this.current = { user: body.user, accessToken: body.accessToken, accessExpiresAt: body.accessExpiresAt, refreshToken: body.refreshToken };
    localStorage.setItem(storageKey, JSON.stringify(this.current));
    return body.accessToken;
  }

  logout() {
    this.current = undefined;
    localStorage.removeItem(storageKey);
  }
}

export const session = new Session();
