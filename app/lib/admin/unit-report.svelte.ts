// A unit's yearly report on the administration screens (M11, M12): the telehealth level self-assessment and the
// activity report of circular 49 appendix II. One screen state for both: loads the unit, the year's saved report and
// what the server knows (sync-server/src/unit-reports-api.ts), prefills a report never saved, edits, saves, prints.
// Administration needs the network: the server checks (with the same domain parsers), stores and audits.
import { vietnamParts } from '@telehealth/domain';
import type { MessageKey } from '../i18n/catalog';
import { refusalKey, session } from '../auth/session.svelte';
import { PdfPrint } from '../records/pdf-print.svelte';
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
};

export class UnitReportScreen<T extends object, C> {
  unit = $state.raw<ReportUnit | undefined>(undefined);
  context = $state.raw<C | undefined>(undefined);
  year = $state(0);
  /** The report being edited (saved with "Lưu"). */
  report = $state<T | undefined>(undefined);
  saved = $state.raw<{ by: string; at: string } | null>(null);
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
    return { unit, context, saved, savedBy: by && typeof by.by === 'string' && typeof by.at === 'string' ? { by: by.by, at: by.at } : null };
  }

  private take(r: NonNullable<Awaited<ReturnType<UnitReportScreen<T, C>['send']>>>, year: number) {
    this.unit = r.unit;
    this.context = r.context;
    this.year = year;
    this.saved = r.savedBy;
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

  /** Makes the report's PDF from what is on screen (saved or not) and hands it over as a download. */
  printWith(make: (unit: ReportUnit, report: T, context: C, year: number) => Promise<{ bytes: Uint8Array; unprintable: string[]; fileName: string }>) {
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
