// Remote signers: the signer's key is held by a signing service, not on the device. Two shapes: the CSC API's
// signHash (Viettel MySign and other remote signing services: the signer authorises with a PIN or OTP, the service
// signs the hash at once) and a confirm-on-phone service (VNPT SmartCA's shape: the hash is submitted, the signer
// confirms in the provider's app, the device asks until it is signed, refused or expired). Both are reached through
// the project's server (sync-server/src/signing/remote-api.ts), which holds the service's credentials. Only the
// digest of what is signed leaves the device: the signed attributes are hashed here.
import type { Signer } from '@libpdf/core';

export type RemoteProvider = 'csc' | 'smartca';

/** An authorised request to the project's server (the access token added by the caller). */
export type RelayFetch = (path: string, init?: RequestInit) => Promise<Response>;

export class RemoteSigningError extends Error {
  constructor(
    readonly code: 'unavailable' | 'refused' | 'expired' | 'timeout' | 'bad_answer',
    message: string
  ) {
    super(message);
  }
}

const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

export type RelayOptions = {
  fetch: RelayFetch;
  provider: RemoteProvider;
  /** The signer at the service: a CSC credential id, a SmartCA user id (CCCD or tax code). */
  user: string;
  /** The record being signed (the server relays only for a record the account may sign). */
  docId: string;
  /** The CSC credential's PIN or OTP (not used by SmartCA, whose signer confirms on their phone). */
  pin?: string;
  /** How often to ask a confirm-on-phone service, and for how long at most (a SmartCA request lives 5 minutes). */
  pollMs?: number;
  timeoutMs?: number;
  /** Waits `ms` (tests inject a clock). */
  sleep?: (ms: number) => Promise<void>;
  /** Told while the signer must confirm on their phone. */
  onWaiting?: () => void;
};

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => undefined)) as (T & { error?: string; message?: string }) | undefined;
  if (!res.ok || !body) {
    const code = body?.error === 'refused' || body?.error === 'expired' ? body.error : res.status === 503 || res.status === 502 ? 'unavailable' : 'refused';
    throw new RemoteSigningError(code, body?.message ?? `the signing service answered ${res.status}`);
  }
  return body;
}

/** A `Signer` whose key is at a remote service, reached through the project's server. */
export async function remoteSigner(o: RelayOptions): Promise<Signer> {
  const post = (path: string, body: unknown) => o.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { certificates } = await json<{ certificates: string[] }>(await post('/api/signing/remote/certificate', { provider: o.provider, user: o.user, docId: o.docId }));
  if (!Array.isArray(certificates) || !certificates.length) throw new RemoteSigningError('bad_answer', 'the service gave no certificate');
  const chain = certificates.map(fromBase64);
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    certificate: chain[0]!,
    certificateChain: chain.slice(1),
    keyType: 'RSA',
    signatureAlgorithm: 'RSASSA-PKCS1-v1_5',
    async sign(data, algorithm) {
      if (algorithm !== 'SHA-256') throw new RemoteSigningError('bad_answer', `only SHA-256 is signed remotely, not ${algorithm}`);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data.slice().buffer as ArrayBuffer));
      const answer = await json<{ signature?: string; transactionId?: string }>(await post('/api/signing/remote/sign', { provider: o.provider, user: o.user, pin: o.pin, digest: toBase64(digest), docId: o.docId }));
      if (answer.signature) return fromBase64(answer.signature);
      if (!answer.transactionId) throw new RemoteSigningError('bad_answer', 'the service gave neither a signature nor a transaction');
      o.onWaiting?.();
      const end = Date.now() + (o.timeoutMs ?? 5 * 60_000);
      for (;;) {
        const state = await json<{ status: 'pending' | 'signed' | 'refused' | 'expired'; signature?: string }>(
          await o.fetch(`/api/signing/remote/status?provider=${o.provider}&tx=${encodeURIComponent(answer.transactionId)}`)
        );
        if (state.status === 'signed' && state.signature) return fromBase64(state.signature);
        if (state.status === 'refused' || state.status === 'expired') throw new RemoteSigningError(state.status, `the signer's confirmation was ${state.status}`);
        if (Date.now() > end) throw new RemoteSigningError('timeout', 'the signer did not confirm in time');
        await sleep(o.pollMs ?? 2000);
      }
    }
  };
}
