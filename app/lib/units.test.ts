// The unit directory kept in local storage is read by its shape, never cast.
import { describe, expect, it } from 'vitest';
import { readUnits } from './units.svelte';

describe('readUnits', () => {
  it('keeps well-formed units and leaves out anything else', () => {
    const good = { id: 'tyt-02701', kind: 'station', name: 'Trạm Y tế xã Y Tý', provinceCode: '15', communeCode: '02701', parentId: null, links: ['ttyt-bat-xat'] };
    expect(readUnits([good, { ...good, id: 7 }, { ...good, links: 'ttyt' }, null, 'x'])).toEqual([good]);
    expect(readUnits({ units: [good] })).toEqual([]);
  });

  it('keeps a unit\'s facility code (Mã cơ sở y tế) as the directory serves it, or none', () => {
    const unit = { id: 'tyt-02701', kind: 'station', name: 'Trạm Y tế xã Y Tý', provinceCode: '15', communeCode: '02701', parentId: null, links: [] };
    expect(readUnits([{ ...unit, facilityCode: '15122' }, { ...unit, id: 'syt-15', facilityCode: null }, { ...unit, id: 'x', facilityCode: 15122 }])).toEqual([
      { ...unit, facilityCode: '15122' },
      { ...unit, id: 'syt-15', facilityCode: null }
    ]);
  });
});
