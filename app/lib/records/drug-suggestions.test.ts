import { describe, expect, it } from 'vitest';
import { catalogSuggestion, drugLabel, drugSuggestions } from './drug-suggestions';

const para = { drugName: 'Paracetamol', strength: '500 mg', dosageForm: 'viên nén', unit: 'viên', quantity: 10, days: 5, route: 'Uống', usage: 'Uống 1 viên khi sốt' };

describe('drugs offered as a drug name is typed', () => {
  it('lists each drug once, the most recently prescribed first, with its latest usage and without quantity or days', () => {
    const suggestions = drugSuggestions([
      { fields: { createdAt: '2026-11-01T02:00:00Z', items: [para, { drugName: 'Oresol', unit: 'gói', quantity: 4, usage: 'Pha 1 gói với 1 lít nước' }] } },
      { fields: { createdAt: '2026-11-20T02:00:00Z', items: [{ ...para, usage: 'Uống 1 viên mỗi 6 giờ khi sốt', quantity: 20 }] } },
      { fields: { createdAt: '2026-11-10T02:00:00Z', items: [{ drugName: ' ', unit: 'viên', quantity: 1, usage: 'x' }] } }
    ]);
    expect(suggestions.map((s) => s.label)).toEqual(['Paracetamol 500 mg (viên nén)', 'Oresol']);
    expect(suggestions[0]!.item).toEqual({ drugName: 'Paracetamol', strength: '500 mg', dosageForm: 'viên nén', unit: 'viên', route: 'Uống', usage: 'Uống 1 viên mỗi 6 giờ khi sốt' });
    expect(drugLabel({ drugName: 'Oresol' })).toBe('Oresol');
    expect(drugSuggestions([], 10)).toEqual([]);
  });
});

describe('a drug of the catalog as a suggestion', () => {
  it('takes the active ingredient (and the registered name when it differs), the code, strength, form, unit and route', () => {
    const s = catalogSuggestion({ code: '40.48', activeIngredient: 'Paracetamol', name: 'Panadol', strength: '500mg', dosageForm: 'Viên nén', unit: 'Viên', route: 'Uống' });
    expect(s).toEqual({
      label: 'Paracetamol (Panadol) 500mg (Viên nén)',
      item: { drugName: 'Paracetamol (Panadol)', drugCode: '40.48', strength: '500mg', dosageForm: 'Viên nén', unit: 'Viên', route: 'Uống' }
    });
    expect(catalogSuggestion({ code: '', activeIngredient: '', name: 'Oresol', strength: '', dosageForm: '', unit: 'Gói', route: '' })).toEqual({ label: 'Oresol', item: { drugName: 'Oresol', unit: 'Gói' } });
  });
});
