// The relay between a signer's device and a remote signing service (providers.ts; packages/signing/remote.ts is the
// device's side). The device sends a SHA-256 digest, never the document; the server adds the service's credentials,
// which never reach a device.
//
// - GET  /api/signing/remote                     {providers: ["csc", "smartca"]}: the services configured
// - POST /api/signing/remote/certificate         {provider, user, docId}: the signer's certificate chain (base64 DER)
// - POST /api/signing/remote/sign                {provider, user, pin?, digest, docId}: {signature} (CSC) or
//   {transactionId} (confirm-on-phone: the signer confirms in the provider's app)
// - GET  /api/signing/remote/status?provider=&tx=   {status: pending | signed | refused | expired, signature?}: only
//   the account that started the transaction asks, within 10 minutes, on the node it started it on
//
// Staff accounts only (station workers and doctors sign), and only for a record of a signed kind they write
// (`docId`); each account has at most 10 requests to the services in 10 minutes and 3 signatures waiting on a phone
// (429 `rate_limited`), every request is logged with the record. The answer to a refusal by the service is 400
// `refused`; to a service that cannot be reached or answers nonsense, 502 `unavailable`. Not yet: the credential a
// service knows an account by is the signer's to type, not bound to the account by an administrator.
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Role } from '@telehealth/domain';
import type { Storage } from '../storage/storage';
import { signedRecordAccess } from '../signatures-api';
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import type { Refuse } from '../accounts-api';
import { ProviderError, type SigningProvider } from './providers';

type Vars = { Variables: { principal: Principal } };

export type RemoteProvider = 'csc' | 'smartca';
const providerNames: readonly RemoteProvider[] = ['csc', 'smartca'];

export type RemoteSigningDeps = { providers: Partial<Record<RemoteProvider, SigningProvider>>; storage: Storage; log: Logger; now: () => number; refuse: Refuse };

const transactionTtlMs = 10 * 60_000;
const maxTransactions = 10_000;
const userPattern = /^[A-Za-z0-9_.@-]{1,100}$/;
const rate = { requests: 10, perMs: 10 * 60_000, pendingPerAccount: 3 } as const;

export function mountRemoteSigning(app: Hono<Vars>, deps: RemoteSigningDeps) {
  const { providers, storage, log, now } = deps;
  /** Each account's recent requests to the services (times), for the rate limit. */
  const recent = new Map<string, number[]>();
  // Who started which confirm-on-phone transaction (only they may ask for its signature), until it expires.
  const transactions = new Map<string, { userId: string; provider: RemoteProvider; until: number }>();
  const refuse = deps.refuse as (c: Parameters<Refuse>[0], status: 400 | 403 | 404 | 409 | 413 | 415 | 429 | 502, error: string, message: string) => Response;

  /** Whether the account writes `docId`, a record of a signed kind (it may sign it). */
  const signs = async (p: Principal, docId: unknown) => typeof docId === 'string' && Boolean((await signedRecordAccess(storage, p, docId))?.canWrite);

  /** Counts a request of the account; false when it is over the limit. */
  function allowRequest(userId: string): boolean {
    const at = now();
    const times = (recent.get(userId) ?? []).filter((t) => t > at - rate.perMs);
    if (times.length >= rate.requests) return false;
    times.push(at);
    recent.set(userId, times);
    if (recent.size > 10_000) recent.delete(recent.keys().next().value as string);
    return true;
  }

  app.use('/api/signing/remote/*', async (c, next) => {
    const p = c.get('principal');
    if (p.role !== Role.stationWorker && p.role !== Role.doctor) return refuse(c, 403, 'forbidden', 'health workers sign, with their own certificate');
    return next();
  });
  app.use('/api/signing/remote/*', bodyLimit({ maxSize: 4096, onError: (c) => refuse(c, 413, 'payload_too_large', 'the body is over 4 KiB') }));

  const providerOf = (name: unknown): [RemoteProvider, SigningProvider] | undefined => {
    const n = providerNames.find((p) => p === name);
    const provider = n && providers[n];
    return n && provider ? [n, provider] : undefined;
  };

  /** The service's failure as an answer: its refusal (400) or its absence (502). */
  const failed = (c: Parameters<Refuse>[0], err: unknown, what: string) => {
    const code = err instanceof ProviderError ? err.code : 'unavailable';
    log.warn('signing.remote_failed', { what, userId: c.get('principal').userId, code, message: (err as Error).message });
    return code === 'refused' ? refuse(c, 400, 'refused', (err as Error).message) : refuse(c, 502, 'unavailable', (err as Error).message);
  };

  app.get('/api/signing/remote', (c) => c.json({ providers: providerNames.filter((n) => providers[n]) }));

  app.post('/api/signing/remote/certificate', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { provider?: unknown; user?: unknown; docId?: unknown } | undefined;
    const provider = providerOf(body?.provider);
    if (!provider) return refuse(c, 400, 'bad_request', `provider: one of the services configured (${providerNames.filter((n) => providers[n]).join(', ') || 'none'})`);
    if (typeof body?.user !== 'string' || !userPattern.test(body.user) || Object.keys(body).some((k) => !['provider', 'user', 'docId'].includes(k))) {
      return refuse(c, 400, 'bad_request', 'exactly {provider, user, docId}, user 1–100 letters, digits or ._@-');
    }
    const p = c.get('principal');
    if (!(await signs(p, body.docId))) return refuse(c, 404, 'not_found', 'docId: a record you write and may sign');
    if (!allowRequest(p.userId)) return refuse(c, 429, 'rate_limited', `at most ${rate.requests} requests to the signing services in 10 minutes`);
    log.info('signing.remote_certificate', { userId: p.userId, provider: provider[0], docId: body.docId });
    try {
      const chain = await provider[1].certificate(body.user);
      return c.json({ certificates: chain.slice(0, 5).map((der) => Buffer.from(der).toString('base64')) });
    } catch (err) {
      return failed(c, err, 'certificate');
    }
  });

  app.post('/api/signing/remote/sign', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { provider?: unknown; user?: unknown; pin?: unknown; digest?: unknown; docId?: unknown } | undefined;
    const provider = providerOf(body?.provider);
    if (!provider) return refuse(c, 400, 'bad_request', 'provider: one of the services configured');
    const digest = typeof body?.digest === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(body.digest) ? new Uint8Array(Buffer.from(body.digest, 'base64')) : undefined;
    const pinOk = body?.pin === undefined || (typeof body.pin === 'string' && body.pin.length <= 64);
    if (!digest || digest.length !== 32 || typeof body?.user !== 'string' || !userPattern.test(body.user) || !pinOk || Object.keys(body).some((k) => !['provider', 'user', 'pin', 'digest', 'docId'].includes(k))) {
      return refuse(c, 400, 'bad_request', 'exactly {provider, user, pin?, digest, docId}: digest a SHA-256 in base64');
    }
    const p = c.get('principal');
    if (!(await signs(p, body.docId))) return refuse(c, 404, 'not_found', 'docId: a record you write and may sign');
    const waiting = [...transactions.values()].filter((t) => t.userId === p.userId && t.until >= now()).length;
    if (waiting >= rate.pendingPerAccount || !allowRequest(p.userId)) return refuse(c, 429, 'rate_limited', `at most ${rate.requests} requests to the signing services in 10 minutes, ${rate.pendingPerAccount} waiting on a phone`);
    log.info('signing.remote_sign', { userId: p.userId, provider: provider[0], docId: body.docId });
    try {
      const answer = await provider[1].sign(body.user, body.pin as string | undefined, digest);
      if ('signature' in answer) return c.json({ signature: Buffer.from(answer.signature).toString('base64') });
      const at = now();
      for (const [tx, t] of transactions) if (t.until < at) transactions.delete(tx);
      if (transactions.size >= maxTransactions) return refuse(c, 502, 'unavailable', 'too many signatures waiting for confirmation');
      transactions.set(answer.transactionId, { userId: c.get('principal').userId, provider: provider[0], until: at + transactionTtlMs });
      return c.json({ transactionId: answer.transactionId });
    } catch (err) {
      return failed(c, err, 'sign');
    }
  });

  app.get('/api/signing/remote/status', async (c) => {
    const tx = c.req.query('tx') ?? '';
    const t = transactions.get(tx);
    const provider = providerOf(c.req.query('provider'));
    if (!t || !provider || t.provider !== provider[0] || t.userId !== c.get('principal').userId || t.until < now() || !provider[1].status) {
      return refuse(c, 404, 'not_found', 'no signature of yours waiting with this transaction');
    }
    try {
      const state = await provider[1].status(tx);
      if (state.status !== 'pending') transactions.delete(tx);
      return c.json({ status: state.status, ...(state.signature ? { signature: Buffer.from(state.signature).toString('base64') } : {}) });
    } catch (err) {
      return failed(c, err, 'status');
    }
  });
}
