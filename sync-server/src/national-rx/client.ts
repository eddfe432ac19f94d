// Sending one prescription to the national prescription system: log in as the facility (a token kept until the
// system refuses it), send, and say what happened in the outbox's terms. Never throws: a network failure is `retry`.
import { standInPaths } from './stand-in';
import type { FieldError, NationalPrescription } from './payload';

export type SendOutcome =
  /** Received (or received before: the same code with the same content), with the system's answer. */
  | { kind: 'sent'; answer: string }
  /** Refused for good: field errors, or the code held by another prescription. Sending again would not help. */
  | { kind: 'rejected'; errors: FieldError[] }
  /** Not received (no link, the system down or busy, the login refused): to be sent again later. */
  | { kind: 'retry'; reason: string };

export type NationalRxClient = { send(p: NationalPrescription): Promise<SendOutcome> };

export type NationalRxOptions = {
  baseUrl: string;
  /** The password of a facility (its interconnection code), or undefined when none is configured. */
  passwordOf: (facilityCode: string) => string | undefined;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  timeoutMs?: number;
};

export function createNationalRxClient(o: NationalRxOptions): NationalRxClient {
  const fetchFn = o.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const tokens = new Map<string, string>();
  const timeout = o.timeoutMs ?? 20_000;
  const post = (path: string, body: unknown, token?: string) =>
    fetchFn(`${o.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeout)
    });

  async function login(facility: string): Promise<string | undefined> {
    const password = o.passwordOf(facility);
    if (password === undefined) return undefined;
    const res = await post(standInPaths.login, { ma_lien_thong_co_so_kham_chua_benh: facility, password });
    if (!res.ok) return undefined;
    const body = (await res.json().catch(() => undefined)) as { token?: unknown } | undefined;
    return typeof body?.token === 'string' ? body.token : undefined;
  }

  return {
    async send(p) {
      const facility = p.ma_lien_thong_co_so_kham_chua_benh;
      try {
        for (let attempt = 0; attempt < 2; attempt++) {
          let token = tokens.get(facility);
          if (!token) {
            token = await login(facility);
            if (!token) return { kind: 'retry', reason: o.passwordOf(facility) === undefined ? `no password configured for facility ${facility}` : 'login refused' };
            tokens.set(facility, token);
          }
          const res = await post(standInPaths.send, p, token);
          const text = await res.text();
          if (res.status === 401) {
            tokens.delete(facility);
            continue;
          }
          if (res.ok) return { kind: 'sent', answer: text.slice(0, 2_000) };
          if (res.status === 400 || res.status === 409 || res.status === 422) {
            const body = (() => {
              try {
                return JSON.parse(text) as { errors?: unknown; message?: unknown };
              } catch {
                return {};
              }
            })();
            const errors = Array.isArray(body.errors)
              ? body.errors.slice(0, 50).map((e) => ({ field: String((e as FieldError).field ?? '').slice(0, 100), message: String((e as FieldError).message ?? '').slice(0, 300) }))
              : [{ field: res.status === 409 ? 'ma_don_thuoc' : '', message: String(body.message ?? `HTTP ${res.status}`).slice(0, 300) }];
            return { kind: 'rejected', errors };
          }
          return { kind: 'retry', reason: `HTTP ${res.status}` };
        }
        return { kind: 'retry', reason: 'login refused' };
      } catch (err) {
        return { kind: 'retry', reason: err instanceof Error ? err.message : String(err) };
      }
    }
  };
}
