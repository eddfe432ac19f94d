// The telehealth level self-assessment screen's state (decision 28, M12): loads a unit's answers for a year from the
// server (sync-server/src/assessment-api.ts), recomputes the level as the administrator ticks (the same pure function
// the server uses), saves, and prints the report form. Administration needs the network: the server checks,
// stores and audits the answers.
import { assessLevel, parseLevelAnswers, vietnamParts, type LevelAnswers, type LevelResult, type ProductFacts } from '@telehealth/domain';
import type { MessageKey } from '../i18n/catalog';
import { refusalKey, session } from '../auth/session.svelte';
import { PdfPrint } from '../records/pdf-print.svelte';

export type AssessedUnit = { id: string; name: string; address: string | null; licence: string | null; phone: string | null; parentName: string | null };
export type AssessmentView = { unit: AssessedUnit; year: number; answers: LevelAnswers; saved: { by: string; at: string } | null; facts: ProductFacts; connectionPoints: number };

const textOrNull = (v: unknown, max = 300) => (typeof v === 'string' && v.length <= max ? v : null);

/** The server's answer read by its shape (answers through the domain's closed parser), or undefined. */
export function readAssessment(v: unknown): AssessmentView | undefined {
  const o = v as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null) return undefined;
  const u = o.unit as Record<string, unknown> | null;
  const facts = o.facts as Record<string, unknown> | null;
  const answers = parseLevelAnswers(o.answers);
  const points = o.connectionPoints;
  if (typeof u !== 'object' || u === null || typeof u.id !== 'string' || typeof u.name !== 'string' || !answers.ok) return undefined;
  if (typeof facts !== 'object' || facts === null || typeof facts.sfu !== 'boolean' || typeof points !== 'number' || !Number.isInteger(points) || points < 0) return undefined;
  if (typeof o.year !== 'number' || !Number.isInteger(o.year)) return undefined;
  const saved = o.saved as Record<string, unknown> | null;
  return {
    unit: { id: u.id, name: u.name, address: textOrNull(u.address), licence: textOrNull(u.licence), phone: textOrNull(u.phone), parentName: textOrNull(u.parentName) },
    year: o.year,
    answers: answers.answers,
    saved: saved && typeof saved.by === 'string' && typeof saved.at === 'string' ? { by: saved.by, at: saved.at } : null,
    facts: { sfu: facts.sfu },
    connectionPoints: points
  };
}

export class AssessmentScreen {
  view = $state<AssessmentView | undefined>(undefined);
  /** The answers being edited (saved with "Lưu"). */
  answers = $state<LevelAnswers | undefined>(undefined);
  busy = $state(false);
  dirty = $state(false);
  error = $state<{ key: MessageKey; detail?: string } | undefined>(undefined);
  savedNow = $state(false);
  readonly print = new PdfPrint();

  /** The level the answers on screen reach. */
  readonly result: LevelResult | undefined = $derived(this.view && this.answers ? assessLevel(this.answers, this.view.facts, this.view.connectionPoints) : undefined);

  private async send(method: 'GET' | 'POST', unitId: string, year: number, body?: unknown): Promise<AssessmentView | undefined> {
    this.error = undefined;
    const token = await session.accessToken();
    if (!token) {
      this.error = { key: 'error.unauthorized' };
      return undefined;
    }
    let res: Response;
    try {
      res = await fetch(`/api/admin/assessments/${encodeURIComponent(unitId)}?year=${year}`, {
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
    const view = readAssessment(json);
    if (!view) this.error = { key: 'error.internal' };
    return view;
  }

  /** Loads the unit's answers for the year; unsaved edits of another year or unit are dropped (the screen asks first). */
  async load(unitId: string, year: number) {
    this.busy = true;
    const view = await this.send('GET', unitId, year);
    this.busy = false;
    if (!view) return;
    this.view = view;
    const answers = structuredClone(view.answers);
    // A first assessment: the report goes to the unit above, which is usually its governing body too.
    if (!view.saved && view.unit.parentName) {
      answers.recipient ||= view.unit.parentName;
      answers.governingBody ||= view.unit.parentName;
    }
    this.answers = answers;
    this.dirty = false;
    this.savedNow = false;
  }

  /** Applies a change to the answers on screen. */
  edit(change: (a: LevelAnswers) => void) {
    if (!this.answers) return;
    change(this.answers);
    this.dirty = true;
    this.savedNow = false;
  }

  async save() {
    if (!this.view || !this.answers) return;
    this.busy = true;
    const view = await this.send('POST', this.view.unit.id, this.view.year, { answers: $state.snapshot(this.answers) });
    this.busy = false;
    if (!view) return;
    this.view = view;
    this.answers = structuredClone(view.answers);
    this.dirty = false;
    this.savedNow = true;
  }

  /** The report form as a PDF (what is on screen, saved or not), dated today. */
  printReport() {
    const view = this.view;
    const answers = this.answers && $state.snapshot(this.answers);
    const result = this.result;
    if (!view || !answers || !result) return;
    void this.print.run(async () => {
      const [{ levelPdf, levelPdfFileName }, { downloadPdf }] = await Promise.all([import('./level-pdf'), import('../records/form-print')]);
      const { bytes, unprintable } = await levelPdf({ unit: view.unit, answers, result, connectionPoints: view.connectionPoints, at: Date.now() });
      downloadPdf(bytes, levelPdfFileName(view.unit.name, view.year));
      return { unprintable };
    });
  }
}

/** This year in Vietnam: the default year of a self-assessment. */
export const currentYear = () => vietnamParts(Date.now()).year;
