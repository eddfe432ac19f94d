import { describe, expect, it } from 'vitest';
import { communeChoices } from './communes';

const list = [
  { code: '02701', name: 'Xã Y Tý' },
  { code: '02686', name: 'Xã A Mú Sung' },
  { code: '02690', name: 'Xã Đồng Tâm' },
  { code: '02692', name: 'Xã Dền Sáng' },
  { code: '02695', name: 'Xã Bát Xát' },
  { code: '02698', name: 'Xã Ô Quy Hồ' }
];

describe('the commune list of a select', () => {
  it('is in Vietnamese order: D before Đ, O before Ô', () => {
    expect(communeChoices(list).map((c) => c.name)).toEqual(['Xã A Mú Sung', 'Xã Bát Xát', 'Xã Dền Sáng', 'Xã Đồng Tâm', 'Xã Ô Quy Hồ', 'Xã Y Tý']);
  });

  it('starts with the station’s own commune, the rest in order', () => {
    expect(communeChoices(list, '02701').map((c) => c.code)).toEqual(['02701', '02686', '02695', '02692', '02690', '02698']);
    expect(communeChoices(list, '99999')[0]!.code).toBe('02686');
  });
});
