// Drugs offered as the drug name is typed, offline: those the unit prescribed before (from the prescriptions on the
// device), then the drug catalog's (drug-catalog.svelte.ts). Picking one fills its strength, dosage form, unit, route
// (and usage, for the unit's own), which stay editable.
import { drugDisplayName, type DrugEntry } from '@telehealth/catalogs/device';
import type { Fields, PrescriptionItem } from '@telehealth/domain';

export type DrugSuggestion = { label: string; item: Partial<PrescriptionItem> };

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
/** "Paracetamol 500 mg (viên nén)": how a drug is shown in the suggestions and on the prescription. */
export const drugLabel = (item: Fields) => [text(item.drugName), text(item.strength), text(item.dosageForm) && `(${text(item.dosageForm)})`].filter(Boolean).join(' ');

/**
 * The distinct drugs of `prescriptions` (a drug is its name, strength and dosage form), the most recently prescribed
 * first, each with the fields of its latest line (not the quantity or the days, which belong to each patient).
 */
export function drugSuggestions(prescriptions: readonly { fields: { items?: readonly Fields[]; createdAt?: string } }[], max = 300): DrugSuggestion[] {
  const byLabel = new Map<string, { at: string; item: Partial<PrescriptionItem> }>();
  for (const p of prescriptions) {
    const at = p.fields.createdAt ?? '';
    for (const raw of p.fields.items ?? []) {
      const label = drugLabel(raw);
      if (!text(raw.drugName)) continue;
      const seen = byLabel.get(label);
      if (seen && seen.at >= at) continue;
      const item: Partial<PrescriptionItem> = {};
      for (const key of ['drugName', 'drugCode', 'strength', 'dosageForm', 'unit', 'route', 'usage'] as const) if (text(raw[key])) item[key] = text(raw[key]);
      byLabel.set(label, { at, item });
    }
  }
  return [...byLabel.entries()]
    .sort((a, b) => b[1].at.localeCompare(a[1].at) || a[0].localeCompare(b[0], 'vi'))
    .slice(0, max)
    .map(([label, { item }]) => ({ label, item }));
}

/** A drug of the catalog as a suggestion: its name (active ingredient, registered name), code, strength, form, unit, route. */
export function catalogSuggestion(e: DrugEntry): DrugSuggestion {
  const item: Partial<PrescriptionItem> = { drugName: drugDisplayName(e).slice(0, 200) };
  if (e.code) item.drugCode = e.code;
  if (e.strength) item.strength = e.strength;
  if (e.dosageForm) item.dosageForm = e.dosageForm;
  if (e.unit) item.unit = e.unit;
  if (e.route) item.route = e.route;
  return { label: drugLabel(item), item };
}
