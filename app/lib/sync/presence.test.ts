// Presence between two devices over a relay that behaves as the server's (relays to the others, keeps nothing):
// each learns of the other whoever announced first, follows the field the other is in, and forgets one who leaves.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocPresence, type PresenceLink, type PresenceState } from './presence';

/** Links of devices to one relay: what one announces reaches the others' listeners. */
function relay() {
  const links: PresenceLink[] = [];
  const link = (): PresenceLink => {
    const self: PresenceLink = {
      presenceListeners: new Set(),
      announce: (docId, update) => links.filter((l) => l !== self).forEach((l) => l.presenceListeners.forEach((listen) => listen(docId, update))),
      leave: (docId, removal) => links.filter((l) => l !== self).forEach((l) => l.presenceListeners.forEach((listen) => listen(docId, removal)))
    };
    links.push(self);
    return self;
  };
  return link;
}

describe('presence in a co-edited document', () => {
  it('tells each side who else is there and in which field, through a change callback that reads the presence itself', () => {
    const link = relay();
    const seen: PresenceState[][] = [];
    const station: DocPresence = new DocPresence(link(), 'minutes:m1', new Y.Doc(), { name: 'Lý Thị Mai', side: 'station' }, () => seen.push(station.others()));
    const doctor = new DocPresence(link(), 'minutes:m1', new Y.Doc(), { name: 'BS. Hùng', side: 'upper' }, () => undefined);
    // The doctor came second: the station learnt of it, and answered so that the doctor learnt of the station.
    expect(station.others()).toEqual([{ name: 'BS. Hùng', side: 'upper' }]);
    expect(doctor.others()).toEqual([{ name: 'Lý Thị Mai', side: 'station' }]);
    doctor.setField('conclusion');
    expect(station.others()).toEqual([{ name: 'BS. Hùng', side: 'upper', field: 'conclusion' }]);
    expect(seen.at(-1)).toEqual([{ name: 'BS. Hùng', side: 'upper', field: 'conclusion' }]);
    doctor.destroy();
    expect(station.others()).toEqual([]);
    station.destroy();
  });

  it('ignores presence in another document', () => {
    const link = relay();
    const a = new DocPresence(link(), 'minutes:m1', new Y.Doc(), { name: 'A', side: 'station' }, () => undefined);
    const b = new DocPresence(link(), 'minutes:m2', new Y.Doc(), { name: 'B', side: 'upper' }, () => undefined);
    expect(a.others()).toEqual([]);
    expect(b.others()).toEqual([]);
    a.destroy();
    b.destroy();
  });
});
