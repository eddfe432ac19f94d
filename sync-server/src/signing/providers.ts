// The remote signing services the server speaks to for a signer (packages/signing/remote.ts is the device's side):
// the CSC API (credentials/info, credentials/authorize, signatures/signHash: Viettel MySign and other remote signing
// services) and a confirm-on-phone service in VNPT SmartCA's shape (the hash is submitted, the signer confirms in
// the provider's app, its status is asked until signed, refused or expired). The service's credentials (a CSC bearer
// token, SmartCA's sp_id and sp_password) stay on the server; only a digest is sent, never the document.
import { randomUUID } from 'node:crypto';

export type RemoteStatus = { status: 'pending' | 'signed' | 'refused' | 'expired'; signature?: Uint8Array };

export type SigningProvider = {
  /** The signer's certificate and its chain (DER, the signer's first). */
  certificate(user: string): Promise<Uint8Array[]>;
  /** Signs a SHA-256 digest (RSA PKCS#1 v1.5): at once, or as a transaction the signer confirms on their phone. */
  sign(user: string, pin: string | undefined, digest: Uint8Array): Promise<{ signature: Uint8Array } | { transactionId: string }>;
  status?(transactionId: string): Promise<RemoteStatus>;
};

export class ProviderError extends Error {
  constructor(
    readonly code: 'unavailable' | 'refused' | 'bad_answer',
    message: string
  ) {
    super(message);
  }
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (text: unknown) => (typeof text === 'string' && /^[A-Za-z0-9+/]+=*$/.test(text) ? new Uint8Array(Buffer.from(text, 'base64')) : undefined);
/** OIDs of SHA-256 and of RSA (PKCS#1 v1.5), as CSC names them. */
const sha256Oid = '2.16.840.1.101.3.4.2.1';
const rsaOid = '1.2.840.113549.1.1.1';
const timeoutMs = 20_000;

async function call<T>(fetchFn: Fetch, url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new ProviderError('unavailable', `the signing service cannot be reached: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (text.length > 256 * 1024) throw new ProviderError('bad_answer', 'the signing service answered too much');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProviderError(res.ok ? 'bad_answer' : 'unavailable', `the signing service answered ${res.status} without JSON`);
  }
  if (res.status >= 500) throw new ProviderError('unavailable', `the signing service answered ${res.status}`);
  if (!res.ok) throw new ProviderError('refused', `the signing service refused: ${String((parsed as { error_description?: unknown; message?: unknown })?.error_description ?? (parsed as { message?: unknown })?.message ?? res.status).slice(0, 200)}`);
  return parsed as T;
}

function chainOf(list: unknown): Uint8Array[] {
  const chain = Array.isArray(list) ? list.map(unb64) : [];
  if (!chain.length || chain.some((c) => !c)) throw new ProviderError('bad_answer', 'the signing service gave no certificate');
  return chain as Uint8Array[];
}

/** The CSC API (v1): `baseUrl` up to and with its version, e.g. https://…/csc/v1; `token`: the service's bearer token. */
export function cscProvider(o: { baseUrl: string; token: string; fetch?: Fetch }): SigningProvider {
  const fetchFn = o.fetch ?? ((url, init) => fetch(url, init));
  const auth = { authorization: `Bearer ${o.token}` };
  return {
    async certificate(user) {
      const info = await call<{ cert?: { certificates?: unknown } }>(fetchFn, `${o.baseUrl}/credentials/info`, { credentialID: user, certificates: 'chain' }, auth);
      return chainOf(info.cert?.certificates);
    },
    async sign(user, pin, digest) {
      const hash = [b64(digest)];
      const { SAD } = await call<{ SAD?: unknown }>(fetchFn, `${o.baseUrl}/credentials/authorize`, { credentialID: user, numSignatures: 1, hash, PIN: pin }, auth);
      if (typeof SAD !== 'string') throw new ProviderError('bad_answer', 'the signing service gave no authorisation');
      const signed = await call<{ signatures?: unknown }>(fetchFn, `${o.baseUrl}/signatures/signHash`, { credentialID: user, SAD, hash, hashAlgo: sha256Oid, signAlgo: rsaOid }, auth);
      const signature = Array.isArray(signed.signatures) ? unb64(signed.signatures[0]) : undefined;
      if (!signature) throw new ProviderError('bad_answer', 'the signing service gave no signature');
      return { signature };
    }
  };
}

/** A confirm-on-phone service in SmartCA's shape: `baseUrl` its API root; the service provider's id and password. */
export function smartCaProvider(o: { baseUrl: string; spId: string; spPassword: string; fetch?: Fetch }): SigningProvider {
  const fetchFn = o.fetch ?? ((url, init) => fetch(url, init));
  const sp = { sp_id: o.spId, sp_password: o.spPassword };
  return {
    async certificate(user) {
      const answer = await call<{ data?: { user_certificates?: { cert_data?: unknown; chain_data?: unknown }[] } }>(fetchFn, `${o.baseUrl}/v1/credentials/get_certificate`, { ...sp, user_id: user });
      const first = answer.data?.user_certificates?.[0];
      return chainOf([first?.cert_data, ...(Array.isArray(first?.chain_data) ? first.chain_data : [])]);
    },
    async sign(user, _pin, digest) {
      const transactionId = randomUUID();
      const answer = await call<{ data?: { transaction_id?: unknown } }>(fetchFn, `${o.baseUrl}/v1/signatures/sign`, {
        ...sp,
        user_id: user,
        transaction_id: transactionId,
        sign_files: [{ data_to_be_signed: Buffer.from(digest).toString('hex'), doc_id: transactionId, file_type: 'pdf', sign_type: 'hash' }]
      });
      const tx = answer.data?.transaction_id;
      if (typeof tx !== 'string' || !/^[A-Za-z0-9-]{1,100}$/.test(tx)) throw new ProviderError('bad_answer', 'the signing service gave no transaction');
      return { transactionId: tx };
    },
    async status(transactionId) {
      const answer = await call<{ data?: { status?: unknown; signatures?: { signature_value?: unknown }[] } }>(fetchFn, `${o.baseUrl}/v1/signatures/sign/${encodeURIComponent(transactionId)}/status`, sp);
      const status = answer.data?.status;
      if (status === 'signed') {
        const signature = unb64(answer.data?.signatures?.[0]?.signature_value);
        if (!signature) throw new ProviderError('bad_answer', 'the signing service gave no signature');
        return { status, signature };
      }
      if (status === 'pending' || status === 'expired') return { status };
      if (status === 'rejected' || status === 'refused') return { status: 'refused' };
      throw new ProviderError('bad_answer', 'the signing service gave no status');
    }
  };
}
