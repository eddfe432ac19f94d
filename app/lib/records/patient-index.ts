// The patient index held in memory for instant search (a station has a few thousand patients), loaded from
// the device's Dexie index and refreshed for the charts that change.
import { foldVietnamese } from '@telehealth/domain';
import type { LocalDb, PatientRow } from '../sync/local-db';

const maxResults = 50;

/**
 * A date of birth as people type it here — 14/03/1992, 4/3/1992 (also with - or .) — or as the date input gives
 * it (1992-03-14), as YYYY-MM-DD; undefined when it is not a real calendar date.
 */
export function parseTypedDate(text: string): string | undefined {
  const q = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(q);
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(q);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (!y || !m || !d) return undefined;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const check = new Date(`${date}T00:00:00Z`);
  return Number.isFinite(check.getTime()) && check.toISOString().slice(0, 10) === date ? date : undefined;
}

/** Which rows a query selects: personal id, phone (whole or part) or insurance number, card code, date of birth, or a name from any word. */
export function patientMatcher(query: string): ((p: PatientRow) => boolean) | undefined {
  const q = query.trim();
  if (!q) return undefined;
  if (/^\d{12}$/.test(q)) return (p) => p.personalId === q;
  if (/^\d{10}$/.test(q)) return (p) => p.phone === q || p.insuranceNumber === q;
  // Part of a phone number: its first digits (0912…) or its last 4 to 6 digits, as people remember them; four
  // digits may also be a year of birth.
  if (/^[\d ]{4,11}$/.test(q) && q.replace(/ /g, '').length >= 4 && q.replace(/ /g, '').length <= 9) {
    const digits = q.replace(/ /g, '');
    const tail = digits.length <= 6;
    return (p) => (p.phone !== '' && (p.phone.startsWith(digits) || (tail && p.phone.endsWith(digits)))) || (digits.length === 4 && p.dateOfBirth.startsWith(`${digits}-`));
  }
  if (/^[A-Za-z]{2}\d{13}$/.test(q)) {
    const code = q.toUpperCase();
    return (p) => p.insuranceNumber === code;
  }
  const date = parseTypedDate(q);
  if (date) return (p) => p.dateOfBirth === date;
  // A date being typed (14/03/19…): nothing matches by name yet, so say nothing rather than everyone.
  if (/^[\d/.-]+$/.test(q) && /[/.]/.test(q)) return () => false;
  const key = ` ${foldVietnamese(q)}`;
  return (p) => ` ${p.nameKey}`.includes(key);
}

export class PatientIndex {
  private rows = new Map<string, PatientRow>();

  async load(db: LocalDb) {
    this.rows = new Map((await db.patients.toArray()).map((p) => [p.id, p]));
  }

  /** Re-reads the given patients (chart ids `patient:<id>`, other documents are ignored). */
  async refresh(db: LocalDb, docIds: string[]) {
    const ids = docIds.filter((d) => d.startsWith('patient:')).map((d) => d.slice('patient:'.length));
    if (!ids.length) return;
    const rows = await db.patients.bulkGet(ids);
    rows.forEach((row, i) => (row ? this.rows.set(row.id, row) : this.rows.delete(ids[i]!)));
  }

  /** Likely the same person: the same name (diacritics aside), date of birth and commune (when both have one). */
  likelyDuplicates(p: { fullName: string; dateOfBirth: string; communeCode?: string }): PatientRow[] {
    const key = foldVietnamese(p.fullName);
    return [...this.rows.values()].filter(
      (r) => r.nameKey === key && r.dateOfBirth === p.dateOfBirth && (!p.communeCode || !r.communeCode || r.communeCode === p.communeCode)
    );
  }

  get size() {
    return this.rows.size;
  }

  /** Every row (the device's reports read them: app/lib/reports/device-reports.ts). */
  all(): PatientRow[] {
    return [...this.rows.values()];
  }

  /** The most recently changed patients for an empty query, else the first matches by name. */
  search(query: string): PatientRow[] {
    const match = patientMatcher(query);
    const all = [...this.rows.values()];
    if (!match) return all.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, maxResults);
    const found: PatientRow[] = [];
    for (const p of all) {
      if (match(p)) found.push(p);
      if (found.length === maxResults) break;
    }
    return found.sort((a, b) => a.nameKey.localeCompare(b.nameKey));
  }
}
