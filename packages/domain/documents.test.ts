// Records in Yjs documents: concurrent offline edits merge field by field, and conflicts resolve the same everywhere.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { docId, isDocMeta, mainRecord, parseDocId, readFields, readForms, writeFields, writeForm } from './documents';
import { foldVietnamese } from './text';

function replica(clientID: number, from?: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  if (from) Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
  return doc;
}
const exchange = (a: Y.Doc, b: Y.Doc) => {
  const ua = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const ub = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, ua);
  Y.applyUpdate(a, ub);
};

describe('records in documents', () => {
  it('keeps both of two offline edits to different fields of one patient', () => {
    const station = replica(1);
    writeFields(mainRecord(station, 'patient'), { fullName: 'Lò Văn Sính', phone: '0912000000' });
    const doctor = replica(2, station);
    writeFields(mainRecord(station, 'patient'), { phone: '0987654321' });
    writeFields(mainRecord(doctor, 'patient'), { address: 'Thôn Sín Chải' });
    exchange(station, doctor);
    const expected = { fullName: 'Lò Văn Sính', phone: '0987654321', address: 'Thôn Sín Chải' };
    expect(readFields(mainRecord(station, 'patient'))).toEqual(expected);
    expect(readFields(mainRecord(doctor, 'patient'))).toEqual(expected);
  });

  it('resolves two offline edits of the same field to the same value on every replica, in any order', () => {
    const base = replica(10);
    writeFields(mainRecord(base, 'patient'), { address: 'Bản cũ' });
    const a = replica(11, base);
    const b = replica(12, base);
    writeFields(mainRecord(a, 'patient'), { address: 'Bản A' });
    writeFields(mainRecord(b, 'patient'), { address: 'Bản B' });
    const ab = replica(13, a);
    Y.applyUpdate(ab, Y.encodeStateAsUpdate(b));
    const ba = replica(14, b);
    Y.applyUpdate(ba, Y.encodeStateAsUpdate(a));
    const winner = mainRecord(ab, 'patient').get('address');
    expect(['Bản A', 'Bản B']).toContain(winner);
    expect(mainRecord(ba, 'patient').get('address')).toBe(winner);
  });

  it('merges two forms added offline to the same chart, and edits inside one form', () => {
    const a = replica(21);
    writeForm(a, 'f1', { symptoms: 'Sốt', pulse: 90 });
    const b = replica(22, a);
    writeForm(a, 'f1', { pulse: 96 });
    writeForm(b, 'f1', { diagnosis: 'Viêm họng cấp' });
    writeForm(b, 'f2', { symptoms: 'Ho khan' });
    exchange(a, b);
    const forms = readForms(a).sort((x, y) => String(x.symptoms).localeCompare(String(y.symptoms)));
    expect(forms).toEqual([{ symptoms: 'Ho khan' }, { symptoms: 'Sốt', pulse: 96, diagnosis: 'Viêm họng cấp' }]);
    expect(readForms(b)).toHaveLength(2);
  });

  it('does not grow the document when a field is written again with the same value', () => {
    const doc = replica(31);
    writeFields(mainRecord(doc, 'patient'), { fullName: 'Hà Thị Lan', secondaryIcds: ['I10'] });
    const size = Y.encodeStateAsUpdate(doc).length;
    writeFields(mainRecord(doc, 'patient'), { fullName: 'Hà Thị Lan', secondaryIcds: ['I10'] });
    expect(Y.encodeStateAsUpdate(doc).length).toBe(size);
  });

  it('deletes a field written empty', () => {
    const doc = replica(41);
    writeFields(mainRecord(doc, 'patient'), { email: 'a@b.vn' });
    writeFields(mainRecord(doc, 'patient'), { email: '' });
    expect(readFields(mainRecord(doc, 'patient'))).toEqual({});
  });

  it('parses document ids and refuses unknown kinds or unsafe ids', () => {
    expect(parseDocId(docId('patient', 'abc-1'))).toEqual({ kind: 'patient', id: 'abc-1' });
    expect(parseDocId('invoice:1')).toBeUndefined();
    expect(parseDocId('patient:../x')).toBeUndefined();
    expect(parseDocId('patient')).toBeUndefined();
  });

  it('accepts only well-formed document metadata', () => {
    expect(isDocMeta({ kind: 'request', unitId: 'tyt-1', patientId: 'p1', peerUnitId: 'ttyt-1' })).toBe(true);
    expect(isDocMeta({ kind: 'request', unitId: 'tyt-1', patientId: 'p1', admin: true })).toBe(false);
    expect(isDocMeta({ kind: 'bill', unitId: 'tyt-1', patientId: 'p1' })).toBe(false);
  });
});

describe('Vietnamese search keys', () => {
  it('folds diacritics and đ, case and spacing', () => {
    expect(foldVietnamese('  Nguyễn Thị   Đào ')).toBe('nguyen thi dao');
    expect(foldVietnamese('HẦU THỊ DUA')).toBe(foldVietnamese('hau thi dua'));
  });

  it('folds text typed in decomposed Unicode the same as composed text', () => {
    expect(foldVietnamese('Việt'.normalize('NFD'))).toBe(foldVietnamese('Việt'.normalize('NFC')));
  });
});

describe('writeFields with live objects', () => {
  it('stores a copy of a list, not the caller\'s object', () => {
    const doc = new Y.Doc();
    const symptoms = ['high_fever'];
    writeFields(mainRecord(doc, 'appointment'), { symptoms });
    symptoms.push('dry_cough');
    expect(readFields(mainRecord(doc, 'appointment')).symptoms).toEqual(['high_fever']);
    expect(structuredClone(readFields(mainRecord(doc, 'appointment')))).toEqual({ symptoms: ['high_fever'] });
  });
});
