// A unit's yearly report on the administration screens (M11, M12): the telehealth level self-assessment and the
// activity report of circular 49 appendix II. One screen state for both: loads the unit, the year's saved report and
// what the server knows (sync-server/src/unit-reports-api.ts), prefills a report never saved, edits, saves, prints.
// Administration needs the network: the server checks (with the same domain parsers), stores and audits.
import { canonicalJson, vietnamParts } from '@telehealth/domain';
import type { MessageKey } from '../i18n/catalog';
import { refusalKey, session } from '../auth/session.svelte';
import { PdfPrint } from '../records/pdf-print.svelte';
import { t } from '../i18n/i18n.svelte';
import { downloadPdf } from '../download';

export type ReportUnit = { id: string; name: string; address: string | null; licence: string | null; phone: string | null; parentName: string | null };
export type UnitReportKind = 'level' | 'activity';

const textOrNull = (v: unknown, max = 300) => (typeof v === 'string' && v.length <= max ? v : null);

/** The unit as the server describes it, read by its shape. */
export function readReportUnit(v: unknown): ReportUnit | undefined {
  const u = v as Record<string, unknown> | null;
  if (typeof u !== 'object' || u === null || typeof u.id !== 'string' || typeof u.name !== 'string') return undefined;
  return { id: u.id, name: u.name, address: textOrNull(u.address), licence: textOrNull(u.licence), phone: textOrNull(u.phone), parentName: textOrNull(u.parentName) };
}

export type UnitReportSpec<T, C> = {
  kind: UnitReportKind;
  /** The report through the domain's closed parser: undefined when it does not parse. */
  parse(v: unknown): T | undefined;
  /** What the server sends beside the report (product facts, figures…), read by its shape. */
  context(body: Record<string, unknown>): C | undefined;
  /** The report to start from: the saved one, or one prefilled from the unit and the context. */
  start(saved: T | null, unit: ReportUnit, context: C, year: number): T;
  /** The signature's reason, as the signed PDF names it (the signer's role). */
  signReason: MessageKey;
};

/** The server's refusals of a signature, as the screen says them (others as any refusal). */
const signRefusals: Record<string, MessageKey> = { changed: 'unitReport.changed', already_signed: 'unitReport.alreadySigned', bad_signature: 'signing.badSignature' };

/** The report's PDF: its bytes, what could not be printed, and its file name. */
export type Make<T, C> = (unit: ReportUnit, report: T, context: C, year: number) => Promise<{ bytes: Uint8Array; unprintable: string[]; fileName: string }>;

export class UnitReportScreen<T extends object, C> {
  unit = $state.raw<ReportUnit | undefined>(undefined);
  context = $state.raw<C | undefined>(undefined);
  year = $state(0);
  /** The report being edited (saved with "Lưu"). */
  report = $state<T | undefined>(undefined);
  saved = $state.raw<{ by: string; at: string } | null>(null);
  /** Who signed the saved report, and when: a signed report is not changed any more. */
  signed = $state.raw<{ at: string; signerName: string } | null>(null);
  /** Why the last signature did not go through (an i18n key). */
  signProblem = $state<MessageKey | undefined>(undefined);
  /** The saved report as the server sent it: what a signature names (its SHA-256, canonical JSON). */
  #savedBody: unknown = null;
  busy = $state(false);
  dirty = $state(false);
  savedNow = $state(false);
  error = $state<{ key: MessageKey; detail?: string } | undefined>(undefined);
  readonly print = new PdfPrint();

  constructor(private readonly spec: UnitReportSpec<T, C>) {}

  private async send(method: 'GET' | 'POST', unitId: string, year: number, body?: unknown) {
    this.error = undefined;
    const token = await session.accessToken();
    if (!token) {
      this.error = { key: 'error.unauthorized' };
      return undefined;
    }
    let res: Response;
    try {
      res = await fetch(`/api/admin/unit-reports/${this.spec.kind}/${encodeURIComponent(unitId)}?year=${year}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch {
      this.error = { key: 'admin.offline' };
      return undefined;
    }
    const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!res.ok) {
      this.error = { key: refusalKey(json), detail: typeof json?.message === 'string' ? json.message.slice(0, 500) : undefined };
      return undefined;
    }
    const unit = readReportUnit(json?.unit);
    const context = json ? this.spec.context(json) : undefined;
    const saved = json?.report === null ? null : this.spec.parse(json?.report);
    if (!json || !unit || context === undefined || saved === undefined) {
      this.error = { key: 'error.internal' };
      return undefined;
    }
    const by = json.saved as Record<string, unknown> | null;
    const signed = json.signed as Record<string, unknown> | null;
    return {
      unit,
      context,
      saved,
      savedBody: json.report,
      savedBy: by && typeof by.by === 'string' && typeof by.at === 'string' ? { by: by.by, at: by.at } : null,
      signed: signed && typeof signed.at === 'string' && typeof signed.signerName === 'string' ? { at: signed.at, signerName: signed.signerName.slice(0, 200) } : null
    };
  }

  private take(r: NonNullable<Awaited<ReturnType<UnitReportScreen<T, C>['send']>>>, year: number) {
    this.unit = r.unit;
    this.context = r.context;
    this.year = year;
    this.saved = r.savedBy;
    this.signed = r.signed;
    this.#savedBody = r.savedBody;
    this.report = this.spec.start(r.saved, r.unit, r.context, year);
    this.dirty = false;
  }

  /** Loads the unit's report for the year (the screen asks before dropping unsaved edits). */
  async load(unitId: string, year: number) {
    this.busy = true;
    const r = await this.send('GET', unitId, year);
    this.busy = false;
    if (!r) return;
    this.take(r, year);
    this.savedNow = false;
  }

  /** Applies a change to the report on screen. */
  edit(change: (report: T) => void) {
    if (!this.report) return;
    change(this.report);
    this.dirty = true;
    this.savedNow = false;
  }

  async save() {
    if (!this.unit || !this.report) return;
    this.busy = true;
    const r = await this.send('POST', this.unit.id, this.year, { report: $state.snapshot(this.report) });
    this.busy = false;
    if (!r) return;
    this.take(r, this.year);
    this.savedNow = true;
  }

  /**
   * Signs the saved report with the signer's PKCS#12 file (read here, never stored, never sent): prints it as saved,
   * signs the PDF on this device and gives it to the server, which checks that it is the saved report, signed once
   * and intact, and keeps it. Edits must be saved first.
   */
  async sign(file: File, password: string, make: Make<T, C>) {
    const { unit, context } = this;
    const report = this.report && ($state.snapshot(this.report) as T);
    if (!unit || !report || context === undefined || !this.saved || this.dirty || this.signed) return;
    this.busy = true;
    this.signProblem = undefined;
    try {
      const { p12Signer, signPdf, SigningError } = await import('@telehealth/signing/sign');
      const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(this.#savedBody)))), (b) => b.toString(16).padStart(2, '0')).join('');
      let signed: Uint8Array;
      try {
        const { bytes } = await make(unit, report, context, this.year);
        signed = await signPdf(bytes, await p12Signer(new Uint8Array(await file.arrayBuffer()), password), { reason: t(this.spec.signReason), location: unit.name, fieldName: 'ThuTruongDonVi' });
      } catch (err) {
        this.signProblem = err instanceof SigningError && err.code === 'bad_password' ? 'signing.badPassword' : err instanceof SigningError && err.code === 'bad_file' ? 'signing.badFile' : 'signing.failed';
        return;
      }
      const token = await session.accessToken();
      if (!token) {
        this.signProblem = 'error.unauthorized';
        return;
      }
      const res = await fetch(`/api/admin/unit-reports/${this.spec.kind}/${encodeURIComponent(unit.id)}/signature?year=${this.year}&content=${digest}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
        body: signed as BlobPart
      }).catch(() => undefined);
      const json = (await res?.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      if (!res || !res.ok) {
        this.signProblem = !res ? 'admin.offline' : (signRefusals[String(json?.error)] ?? refusalKey(json));
        return;
      }
      await this.load(unit.id, this.year);
    } finally {
      this.busy = false;
    }
  }

  /** Downloads the signed report as the server keeps it. */
  async downloadSigned() {
    const unit = this.unit;
    const token = await session.accessToken();
    if (!unit || !token) return;
    const res = await fetch(`/api/admin/unit-reports/${this.spec.kind}/${encodeURIComponent(unit.id)}/signature?year=${this.year}`, { headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
    if (!res?.ok) {
      this.signProblem = res ? 'error.internal' : 'admin.offline';
      return;
    }
    downloadPdf(new Uint8Array(await res.arrayBuffer()), `${this.spec.kind === 'level' ? 'muc-do-y-te-tu-xa' : 'bao-cao-y-te-tu-xa'}-${this.year}-da-ky.pdf`);
  }

  /** Makes the report's PDF from what is on screen (saved or not) and hands it over as a download. */
  printWith(make: Make<T, C>) {
    const { unit, context } = this;
    const report = this.report && ($state.snapshot(this.report) as T);
    if (!unit || !report || context === undefined) return;
    void this.print.run(async () => {
      const { bytes, unprintable, fileName } = await make(unit, report, context, this.year);
      downloadPdf(bytes, fileName);
      return { unprintable };
    });
  }
}

/** This year in Vietnam: the default year of a unit's report. */
export const currentYear = () => vietnamParts(Date.now()).year;
