// Signing a record on the device (criterion 61; signatures-api.ts on the server): the minutes, by their chair,
// secretary and members; an issued prescription, by its prescriber. The first signer prints the record as the server
// holds it and signs the PDF; each next signer fetches the signed PDF and signs over it (an
// incremental update: every earlier signature stays valid). The key is a PKCS#12 file the signer picks for this
// signature: read here, never stored, never sent; only the signed PDF goes to the server. Once the server accepts
// the first signature the record is locked, and the record's `signatures` log tells every device, offline too.
// The signing and checking code (@libpdf/core, pkijs) is loaded only when someone signs or checks.
import { canonicalRecord, parseDocId, signaturesOf, sameSignature, type SignatureEntry, type SignatureRole } from '@telehealth/domain';
import type { SignatureCheck } from '@telehealth/signing/verify';
import { session } from '../auth/session.svelte';
import type { MessageKey } from '../i18n/catalog';
import { sync } from '../sync/sync-state.svelte';
import { downloadPdf } from '../download';
import type { LiveDoc } from './live.svelte';

const path = (docId: string, suffix = '') => `/api/signatures/${encodeURIComponent(docId)}${suffix}`;

/** The server's refusals, as the screen says them. */
const refusals: Record<string, MessageKey> = {
  changed: 'signing.changed',
  version_taken: 'signing.versionTaken',
  already_signed: 'signing.alreadySigned',
  role_taken: 'signing.roleTaken',
  bad_signature: 'signing.badSignature',
  not_incremental: 'signing.versionTaken',
  forbidden: 'signing.forbidden',
  not_found: 'signing.forbidden',
  not_signable: 'signing.notSignable',
  chair_first: 'signing.chairFirst',
  payload_too_large: 'signing.tooLarge'
};

async function authorized(url: string, init: RequestInit = {}): Promise<Response | undefined> {
  const token = await session.accessToken();
  if (!token) return undefined;
  return fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }).catch(() => undefined);
}

/** Waits until `check` holds or `ms` pass (the sync engine's queue empties on its own). */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

export type SignatureView = SignatureCheck & { role?: SignatureRole; userId?: string };

/**
 * Who holds the key: the signer's PKCS#12 file (read on this device), a CSC signHash service (a credential id and its
 * PIN or OTP) or a confirm-on-phone service (the signer's id there; they confirm in the provider's app).
 */
export type SigningMethod = { kind: 'p12'; file: File; password: string } | { kind: 'csc'; user: string; pin: string } | { kind: 'smartca'; user: string };

export class RecordSigning {
  busy = $state(false);
  /** Why the last action did not go through (an i18n key), or undefined. */
  problem = $state<MessageKey | undefined>(undefined);
  /** The signatures the server holds; undefined until fetched (offline: the record's own log speaks). */
  server = $state.raw<SignatureEntry[] | undefined>(undefined);
  /** The result of "Kiểm tra chữ ký": each signature in the file, checked on this device. */
  checks = $state.raw<SignatureView[] | undefined>(undefined);
  /** The remote signing services the server offers (none: only a PKCS#12 file). */
  providers = $state.raw<('csc' | 'smartca')[]>([]);
  /** A confirm-on-phone signature is waiting for the signer to confirm in the provider's app. */
  waiting = $state(false);
  /** The signed file is the one the record's last signature names (its SHA-256). */
  fileMatches = $state<boolean | undefined>(undefined);

  constructor(
    private readonly live: LiveDoc,
    private readonly docId: () => string,
    /** The record as a PDF, as it stands on this device (printed for the first signature). */
    private readonly print: () => Promise<Uint8Array | undefined>
  ) {}

  /** The signatures the record holds (synced; readable offline), each version once. */
  get entries(): SignatureEntry[] {
    void this.live.version;
    const fromDoc = this.live.doc ? signaturesOf(this.live.doc) : [];
    return fromDoc.length >= (this.server?.length ?? 0) ? fromDoc : this.server!;
  }

  get signed(): boolean {
    return this.entries.length > 0;
  }

  /** Asks the server (online) and writes into the record any signature it holds that the record lacks. */
  async refresh(): Promise<void> {
    const res = await authorized(path(this.docId()));
    if (!res?.ok) return;
    const body = (await res.json()) as { signatures?: SignatureEntry[] };
    this.server = Array.isArray(body.signatures) ? body.signatures : [];
    this.record(this.server);
    const remote = await authorized('/api/signing/remote');
    const offered = remote?.ok ? ((await remote.json()) as { providers?: unknown }).providers : undefined;
    this.providers = Array.isArray(offered) ? offered.filter((p): p is 'csc' | 'smartca' => p === 'csc' || p === 'smartca') : [];
  }

  /** Appends to the record's log the accepted signatures it does not hold yet (the server checks each against its rows). */
  private record(accepted: SignatureEntry[]) {
    const doc = this.live.doc;
    if (!doc) return;
    const held = signaturesOf(doc);
    const missing = accepted.filter((a) => !held.some((h) => h.version === a.version && sameSignature(h, a)));
    // Plain copies: the record stores what it is given (a proxy of rune state could not be kept in IndexedDB).
    if (missing.length) doc.transact(() => doc.getArray('signatures').push(missing.map((m) => ({ ...m }))));
  }

  /** Signs as `role` with `method`; `reason` is the role as the PDF says it, `location` the signer's unit. */
  async sign(input: { role: SignatureRole; method: SigningMethod; reason: string; location: string }): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.problem = undefined;
    this.checks = undefined;
    try {
      await this.refresh();
      if (this.server === undefined) return this.fail('signing.offline');
      const version = this.server.length + 1;
      let base: Uint8Array;
      let content: string | undefined;
      if (version === 1) {
        // What is signed is what the server holds: this device's changes go first, then the record is printed and its
        // content named (the server compares it with its own).
        if (!(await until(() => sync.pending === 0, 20_000))) return this.fail('signing.pending');
        const doc = this.live.doc;
        if (!doc) return this.fail('signing.failed');
        const kind = parseDocId(this.docId())?.kind;
        if (!kind) return this.fail('signing.failed');
        content = await sha256Hex(new TextEncoder().encode(canonicalRecord(doc, kind)));
        const printed = await this.print();
        if (!printed) return this.fail('signing.failed');
        base = printed;
      } else {
        const res = await authorized(path(this.docId(), '/pdf'));
        if (!res?.ok) return this.fail('signing.offline');
        base = new Uint8Array(await res.arrayBuffer());
      }
      const { p12Signer, signPdf, SigningError } = await import('@telehealth/signing/sign');
      const { remoteSigner, RemoteSigningError } = await import('@telehealth/signing/remote');
      let signed: Uint8Array;
      const m = input.method;
      try {
        const signer =
          m.kind === 'p12'
            ? await p12Signer(new Uint8Array(await m.file.arrayBuffer()), m.password)
            : await remoteSigner({
                fetch: async (url, init) => (await authorized(url, init)) ?? new Response(null, { status: 503 }),
                provider: m.kind,
                user: m.user,
                docId: this.docId(),
                pin: m.kind === 'csc' ? m.pin : undefined,
                onWaiting: () => (this.waiting = true)
              });
        signed = await signPdf(base, signer, { reason: input.reason, location: input.location, fieldName: `${input.role}-${version}` });
      } catch (err) {
        const cause = (err as { cause?: unknown }).cause ?? err;
        if (err instanceof SigningError && err.code === 'bad_password') return this.fail('signing.badPassword');
        if (err instanceof SigningError && err.code === 'bad_file') return this.fail('signing.badFile');
        for (const e of [err, cause]) {
          if (e instanceof RemoteSigningError) return this.fail(e.code === 'expired' || e.code === 'timeout' ? 'signing.remoteExpired' : e.code === 'refused' ? 'signing.remoteRefused' : 'signing.remoteUnavailable');
        }
        return this.fail('signing.failed');
      } finally {
        this.waiting = false;
      }
      const query = `role=${input.role}&version=${version}${content ? `&content=${content}` : ''}`;
      const res = await authorized(`${path(this.docId())}?${query}`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: signed as BodyInit });
      if (!res) return this.fail('signing.offline');
      const body = (await res.json().catch(() => ({}))) as { error?: string; signature?: SignatureEntry };
      if (res.status !== 201 || !body.signature) return this.fail(refusals[body.error ?? ''] ?? 'signing.failed');
      this.server = [...this.server, body.signature];
      this.record(this.server);
      return true;
    } finally {
      this.busy = false;
    }
  }

  /** Fetches the signed PDF and checks every signature in it on this device. */
  async verify(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.problem = undefined;
    try {
      const pdf = await this.fetchPdf();
      if (!pdf) return void this.fail('signing.offline');
      const { findSignatures, checkSignature } = await import('@telehealth/signing/verify');
      const found = findSignatures(pdf);
      const entries = this.entries;
      this.checks = await Promise.all(found.map(async (sig, i) => ({ ...(await checkSignature(pdf, sig)), role: entries[i]?.role, userId: entries[i]?.userId })));
      const last = entries.at(-1);
      this.fileMatches = last ? last.sha256 === (await sha256Hex(pdf)) && last.length === pdf.length : undefined;
    } finally {
      this.busy = false;
    }
  }

  /** Downloads the signed PDF. */
  async download(fileName: string): Promise<void> {
    const pdf = await this.fetchPdf();
    if (!pdf) return void this.fail('signing.offline');
    downloadPdf(pdf, fileName);
  }

  private async fetchPdf(): Promise<Uint8Array | undefined> {
    const res = await authorized(path(this.docId(), '/pdf'));
    return res?.ok ? new Uint8Array(await res.arrayBuffer()) : undefined;
  }

  private fail(key: MessageKey): false {
    this.problem = key;
    return false;
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
