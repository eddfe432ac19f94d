// Rebuilding a record after a refusal: what was typed here and is valid is written again into the server's state.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mainRecord, writeFields } from './documents';
import { reapplyLocal } from './rebase';

describe('rebuilding the minutes after a refused change', () => {
  it('keeps the words typed here and the other side’s words the device had not received, and drops the invalid value', () => {
    const server = new Y.Doc();
    writeFields(mainRecord(server, 'minutes'), { id: 'm-1', heldAt: '2026-12-01T09:00:00+07:00' });
    server.getText('conclusion').insert(0, 'Viêm phổi.');
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(server));
    // Here: an invalid value (refused) and words typed after it; there: the other side's words, not yet received here.
    writeFields(mainRecord(local, 'minutes'), { number: 'x'.repeat(31) });
    local.getText('conclusion').insert(10, ' Điều trị tại TYT.');
    server.getText('conclusion').insert(0, 'Kết luận: ');
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(server));
    reapplyLocal(local, fresh, 'minutes');
    expect(fresh.getText('conclusion').toString()).toBe('Kết luận: Viêm phổi. Điều trị tại TYT.');
    expect(mainRecord(fresh, 'minutes').get('number')).toBeUndefined();
  });

  it('does not write a text grown past its length', () => {
    const server = new Y.Doc();
    server.getText('care').insert(0, 'Theo dõi.');
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(server));
    local.getText('care').insert(0, 'x'.repeat(4000));
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(server));
    reapplyLocal(local, fresh, 'minutes');
    expect(fresh.getText('care').toString()).toBe('Theo dõi.');
  });
});
