// The drug catalog a station prescribes from (M10): a list its administrator imports (the insurance drug list the
// province uses, or the Ministry's), published by the server and kept on the device for offline search. No list is
// shipped with the product: which drugs a facility may prescribe is the province's list, not ours.
//
// The import reads a CSV whose header names its columns with the names of the social-insurance drug data (QĐ 130/QĐ-BYT
// as amended by QĐ 4750, table "thuốc"): MA_THUOC (the drug's code), TEN_HOAT_CHAT (active ingredient), TEN_THUOC
// (name as registered), HAM_LUONG (strength), DANG_BAO_CHE (dosage form), DON_VI_TINH (unit), DUONG_DUNG (route).
// Columns may come in any order and others are ignored; the name (TEN_HOAT_CHAT or TEN_THUOC) and the unit are needed.
import { foldVietnamese } from '@telehealth/domain';
import type { ImportReport, Rejection } from './communes';

export type DrugEntry = {
  /** MA_THUOC: the drug's code in the list it comes from (empty when the list has none). */
  code: string;
  /** TEN_HOAT_CHAT. */
  activeIngredient: string;
  /** TEN_THUOC: the registered (trade) name. */
  name: string;
  strength: string;
  dosageForm: string;
  unit: string;
  route: string;
};

export type DrugPublication = { version: string; entries: DrugEntry[] };

export const drugColumns = { code: 'MA_THUOC', activeIngredient: 'TEN_HOAT_CHAT', name: 'TEN_THUOC', strength: 'HAM_LUONG', dosageForm: 'DANG_BAO_CHE', unit: 'DON_VI_TINH', route: 'DUONG_DUNG' } as const;

/** What one field of a catalog entry may hold: the prescription's own bounds (packages/domain/records.ts). */
const bounds: Record<keyof DrugEntry, number> = { code: 40, activeIngredient: 200, name: 200, strength: 60, dosageForm: 60, unit: 30, route: 60 };
export const maxDrugs = 100_000;

const clean = (v: string | undefined) => (v ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

export function readDrugTable(rows: string[][]): ImportReport<DrugEntry> {
  const header = (rows[0] ?? []).map((h) => clean(h).toUpperCase());
  const at = Object.fromEntries(Object.entries(drugColumns).map(([field, column]) => [field, header.indexOf(column)])) as Record<keyof DrugEntry, number>;
  const missing: string[] = at.unit < 0 ? [drugColumns.unit] : [];
  if (at.activeIngredient < 0 && at.name < 0) missing.push('TEN_HOAT_CHAT', 'TEN_THUOC');
  if (missing.length) return { read: 0, accepted: [], rejected: [{ line: 1, reason: `the header lacks ${missing.join(', ')} (first row: ${header.slice(0, 8).join(', ')})` }] };
  const accepted: DrugEntry[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  const data = rows.slice(1).filter((r) => r.some((c) => clean(c) !== ''));
  if (data.length > maxDrugs) return { read: data.length, accepted: [], rejected: [{ line: 1, reason: `more than ${maxDrugs} drugs` }] };
  rows.slice(1).forEach((cells, i) => {
    if (!cells.some((c) => clean(c) !== '')) return;
    const line = i + 2;
    const entry = Object.fromEntries(Object.keys(drugColumns).map((f) => [f, at[f as keyof DrugEntry] >= 0 ? clean(cells[at[f as keyof DrugEntry]]) : ''])) as DrugEntry;
    const tooLong = (Object.keys(bounds) as (keyof DrugEntry)[]).find((f) => entry[f].length > bounds[f]);
    if (tooLong) return rejected.push({ line, reason: `${drugColumns[tooLong]} is longer than ${bounds[tooLong]} characters` });
    if (!entry.activeIngredient && !entry.name) return rejected.push({ line, reason: 'no TEN_HOAT_CHAT nor TEN_THUOC' });
    if (!entry.unit) return rejected.push({ line, reason: 'no DON_VI_TINH' });
    const key = [entry.code, entry.activeIngredient, entry.name, entry.strength, entry.dosageForm, entry.unit].join('|');
    if (seen.has(key)) return rejected.push({ line, reason: `the same drug as an earlier row${entry.code ? ` (${entry.code})` : ''}` });
    seen.add(key);
    accepted.push(entry);
  });
  return { read: data.length, accepted, rejected };
}

/** The name a prescription line takes from an entry: the active ingredient, and the registered name in brackets when it differs. */
export function drugDisplayName(e: DrugEntry): string {
  if (!e.activeIngredient) return e.name;
  return e.name && foldVietnamese(e.name) !== foldVietnamese(e.activeIngredient) ? `${e.activeIngredient} (${e.name})` : e.activeIngredient;
}

const separators = /[\s,()/+.;:-]+/g;

/**
 * Offline search over a drug list: by the start of any word of the active ingredient, the registered name or the
 * code, with or without diacritics; every word typed must match. Entries whose name starts with the query come first.
 */
export class DrugSearch {
  private readonly keys: string[];
  constructor(readonly entries: readonly DrugEntry[]) {
    this.keys = entries.map((e) => ` ${foldVietnamese(`${e.activeIngredient} ${e.name} ${e.code}`).toLowerCase().replace(separators, ' ')}`);
  }

  search(query: string, limit = 20): DrugEntry[] {
    const words = foldVietnamese(query).toLowerCase().replace(separators, ' ').split(' ').filter(Boolean);
    if (!words.length) return [];
    const first: DrugEntry[] = [];
    const rest: DrugEntry[] = [];
    for (let i = 0; i < this.keys.length && first.length < limit; i++) {
      const key = this.keys[i]!;
      if (!words.every((w) => key.includes(` ${w}`))) continue;
      (key.startsWith(` ${words[0]}`) ? first : rest).push(this.entries[i]!);
    }
    return [...first, ...rest].slice(0, limit);
  }
}

/** A publication read by its shape (from the server or the device's cache): undefined when it is not one. */
export function readDrugPublication(v: unknown): DrugPublication | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const p = v as { version?: unknown; entries?: unknown };
  if (typeof p.version !== 'string' || p.version.length > 64 || !Array.isArray(p.entries) || p.entries.length > maxDrugs) return undefined;
  const entries: DrugEntry[] = [];
  for (const e of p.entries) {
    if (typeof e !== 'object' || e === null) return undefined;
    const r = e as Record<string, unknown>;
    const entry = Object.fromEntries((Object.keys(bounds) as (keyof DrugEntry)[]).map((f) => [f, r[f]])) as Record<keyof DrugEntry, unknown>;
    if ((Object.keys(bounds) as (keyof DrugEntry)[]).some((f) => typeof entry[f] !== 'string' || (entry[f] as string).length > bounds[f])) return undefined;
    entries.push(entry as DrugEntry);
  }
  return { version: p.version, entries };
}
