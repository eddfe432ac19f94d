// The device's queue of chart openings for the audit trail: kept offline, parsed by its schema, sent in batches,
// and nothing recorded while a batch is on its way is lost.
import { describe, expect, it } from 'vitest';
import { flushOpenings, maxQueuedOpenings, readOpenings, recordOpening, type Opening } from './openings';

const memoryStorage = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), map: m };
};
const at = (i: number) => new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString();

describe('openings queued on the device', () => {
  it('keeps openings recorded offline and reads back only well-formed ones', () => {
    const s = memoryStorage();
    recordOpening(s, 'k', { docId: 'patient:p-1', at: at(1) });
    recordOpening(s, 'k', { docId: 'patient:p-2', at: at(2) });
    expect(readOpenings(s, 'k')).toEqual([
      { docId: 'patient:p-1', at: at(1) },
      { docId: 'patient:p-2', at: at(2) }
    ]);
    s.setItem('k', JSON.stringify([{ docId: 'request:r', at: at(1) }, { docId: 'patient:ok', at: 'yesterday' }, { docId: 'patient:x', at: at(3), extra: 1 }, 'junk', { docId: 'patient:p-3', at: at(3) }]));
    expect(readOpenings(s, 'k')).toEqual([{ docId: 'patient:p-3', at: at(3) }]);
    s.setItem('k', '{not json');
    expect(readOpenings(s, 'k')).toEqual([]);
  });

  it('bounds the queue, dropping the oldest', () => {
    const s = memoryStorage();
    for (let i = 0; i < maxQueuedOpenings + 5; i++) recordOpening(s, 'k', { docId: `patient:p-${i}`, at: at(i % 60) });
    const queued = readOpenings(s, 'k');
    expect(queued).toHaveLength(maxQueuedOpenings);
    expect(queued[0]!.docId).toBe('patient:p-5');
  });

  it('sends in batches of 100, keeps what failed, and keeps what was recorded while sending', async () => {
    const s = memoryStorage();
    for (let i = 0; i < 250; i++) recordOpening(s, 'k', { docId: `patient:p-${i}`, at: at(i % 60) });
    const batches: Opening[][] = [];
    let calls = 0;
    const sent = await flushOpenings(s, 'k', async (entries) => {
      calls++;
      if (calls === 2) recordOpening(s, 'k', { docId: 'patient:late', at: at(59) });
      if (calls === 3) return false; // the link drops
      batches.push(entries);
      return true;
    });
    expect(sent).toBe(200);
    expect(batches.map((b) => b.length)).toEqual([100, 100]);
    const left = readOpenings(s, 'k');
    expect(left).toHaveLength(51);
    expect(left.at(-1)!.docId).toBe('patient:late');
    expect(await flushOpenings(s, 'k', async () => true)).toBe(51);
    expect(readOpenings(s, 'k')).toEqual([]);
  });
});
