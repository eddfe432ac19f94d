// The workflow rules of the record layouts (the server enforces them on every change; pure here).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeForm, writeFields, mainRecord } from './documents';
import { appointmentRules, jpegSize, layoutProblems, readRecord, requestRules, reviewRules, textRoots, type DocChange } from './layouts';

const now = Date.parse('2026-12-01T03:00:00.000Z');

describe('booking rules', () => {
  const booking = { status: 'new', purpose: 'station', wishedAt: '2026-12-02T02:00:00.000Z', createdAt: '2026-12-01T02:00:00.000Z' };
  it('asks a home visit for its address and a booking for someone for the booker’s name', () => {
    expect(appointmentRules({}, booking, now)).toEqual([]);
    expect(appointmentRules({}, { ...booking, purpose: 'home' }, now)).toEqual(['homeAddress: required']);
    expect(appointmentRules({}, { ...booking, purpose: 'on_behalf' }, now)).toEqual(['bookerName: required']);
    expect(appointmentRules({}, { ...booking, purpose: 'on_behalf', bookerName: 'Hầu A Páo' }, now)).toEqual([]);
  });
  it('refuses a wished time before the booking was made, and a station time in the past when it was set', () => {
    expect(appointmentRules({}, { ...booking, wishedAt: '2026-11-30T02:00:00.000Z' }, now)).toEqual(['wishedAt: in_past']);
    // Made offline three days ago for the next day: judged by when it was made, not by when it arrived.
    expect(appointmentRules({}, { ...booking, createdAt: '2026-11-28T02:00:00.000Z', wishedAt: '2026-11-29T02:00:00.000Z' }, now)).toEqual([]);
    expect(appointmentRules(booking, { ...booking, status: 'waiting', scheduledAt: '2026-11-30T02:00:00.000Z', updatedAt: '2026-12-01T02:00:00.000Z' }, now)).toEqual(['scheduledAt: in_past']);
    expect(appointmentRules(booking, { ...booking, status: 'waiting', scheduledAt: '2026-12-03T02:00:00.000Z', updatedAt: '2026-12-01T02:00:00.000Z' }, now)).toEqual([]);
  });
});

describe('review rules', () => {
  it('schedules only for a time not yet past, and keeps a closed review closed', () => {
    expect(reviewRules({ status: 'received' }, { status: 'scheduled', scheduledAt: '2026-11-30T09:00:00+07:00' }, now)).toEqual(['scheduledAt: in_past']);
    expect(reviewRules({ status: 'received' }, { status: 'scheduled' }, now)).toEqual(['scheduledAt: bad_date']);
    expect(reviewRules({ status: 'received' }, { status: 'scheduled', scheduledAt: '2026-12-02T09:00:00+07:00' }, now)).toEqual([]);
    expect(reviewRules({ status: 'answered' }, { status: 'received' }, now)).toEqual(['status: a closed review stays closed']);
  });
});

describe('request rules', () => {
  it('withdraws only a sent request, and a withdrawn request stays withdrawn', () => {
    const sentAt = '2026-12-01T08:00:00+07:00';
    const withdrawnAt = '2026-12-01T09:00:00+07:00';
    expect(requestRules({}, { withdrawnAt })).toEqual(['withdrawnAt: only a sent request is withdrawn']);
    expect(requestRules({ sentAt }, { sentAt, withdrawnAt })).toEqual([]);
    expect(requestRules({ sentAt, withdrawnAt }, { sentAt })).toEqual(['withdrawnAt: a withdrawn request stays withdrawn']);
    expect(requestRules({ sentAt, withdrawnAt }, { sentAt, withdrawnAt: sentAt })).toEqual(['withdrawnAt: a withdrawn request stays withdrawn']);
  });
});

describe('form completion', () => {
  const changeOf = (doc: Y.Doc, edit: () => void): DocChange => {
    const change: DocChange = { changed: new Map(), deleted: [] };
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const [type, keys] of tr.changed) change.changed.set(type, new Set([...(change.changed.get(type) ?? []), ...keys]));
    });
    edit();
    return change;
  };
  it('refuses completing a form without triage, consent, main diagnosis and handling, and accepts a complete one', () => {
    const chart = new Y.Doc();
    writeFields(mainRecord(chart, 'patient'), { fullName: 'Lò Thị Dung', dateOfBirth: '1980-05-05', gender: 'female' });
    const bare = changeOf(chart, () => writeForm(chart, 'f-1', { id: 'f-1', completedAt: '2026-12-01T02:00:00.000Z' }));
    expect(layoutProblems(chart, 'patient', bare).join(' ')).toMatch(/completed without triage, identity .*, main diagnosis, handling/);
    const done = new Y.Doc();
    writeFields(mainRecord(done, 'patient'), { fullName: 'Lò Thị Dung', dateOfBirth: '1980-05-05', gender: 'female' });
    const full = changeOf(done, () =>
      writeForm(done, 'f-2', { id: 'f-2', triageOutcome: 'no_emergency', identityVerified: true, consent: true, mainIcd: 'J06.9', handling: 'home_or_station', completedAt: '2026-12-01T02:00:00.000Z' })
    );
    expect(layoutProblems(done, 'patient', full)).toEqual([]);
  });
});

describe('jpegSize', () => {
  it('reads the frame header of a JPEG and refuses what is not one', () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0xff, 0xd9]);
    expect(jpegSize(jpeg)).toEqual({ width: 640, height: 480 });
    expect(jpegSize(new TextEncoder().encode('<html><script>x</script></html>'))).toBeUndefined();
    expect(jpegSize(jpeg.slice(0, -2))).toBeUndefined();
  });
});

describe('co-edited texts of the minutes', () => {
  const changeOf = (doc: Y.Doc, edit: () => void): DocChange => {
    const change: DocChange = { changed: new Map(), deleted: [] };
    const collect = (tr: Y.Transaction) => {
      for (const [type, keys] of tr.changed) change.changed.set(type, new Set([...(change.changed.get(type) ?? []), ...keys]));
    };
    doc.on('afterTransaction', collect);
    edit();
    doc.off('afterTransaction', collect);
    return change;
  };
  const minutesDoc = () => {
    const doc = new Y.Doc();
    doc.getMap('minutes');
    for (const field of textRoots('minutes')) doc.getText(field);
    return doc;
  };

  it('accepts plain text typed in a declared field, and reads it with the record', () => {
    const doc = minutesDoc();
    const change = changeOf(doc, () => {
      writeFields(mainRecord(doc, 'minutes'), { id: 'm-1', heldAt: '2026-12-01T09:00:00+07:00' });
      doc.getText('conclusion').insert(0, 'Viêm phổi cộng đồng, điều trị tại TYT.');
    });
    expect(layoutProblems(doc, 'minutes', change)).toEqual([]);
    expect(readRecord(doc, 'minutes')).toMatchObject({ id: 'm-1', conclusion: 'Viêm phổi cộng đồng, điều trị tại TYT.' });
    expect(textRoots('minutes')).toEqual(expect.arrayContaining(['reason', 'diagnosisCausePrognosis', 'treatment', 'care', 'conclusion', 'advice']));
  });

  it('refuses a text over its length, formatting, an embed, and a co-edited field written as a plain value', () => {
    const long = minutesDoc();
    expect(layoutProblems(long, 'minutes', changeOf(long, () => long.getText('conclusion').insert(0, 'x'.repeat(4001))))).toEqual(['conclusion: too_long']);
    const bold = minutesDoc();
    expect(layoutProblems(bold, 'minutes', changeOf(bold, () => bold.getText('advice').insert(0, 'Uống nhiều nước', { bold: true })))).toEqual(['advice: formatting']);
    const embed = minutesDoc();
    expect(layoutProblems(embed, 'minutes', changeOf(embed, () => embed.getText('care').insertEmbed(0, { image: 'x' })))).toEqual(['care: embed']);
    const nested = minutesDoc();
    expect(layoutProblems(nested, 'minutes', changeOf(nested, () => nested.getText('care').insertEmbed(0, new Y.Map())))).toContain('care: embed');
    const plain = minutesDoc();
    expect(layoutProblems(plain, 'minutes', changeOf(plain, () => writeFields(mainRecord(plain, 'minutes'), { conclusion: 'ghi đè' })))).toEqual(['conclusion: unknown_field']);
    const undeclared = minutesDoc();
    expect(layoutProblems(undeclared, 'minutes', changeOf(undeclared, () => undeclared.getText('notes').insert(0, 'x')))).toEqual(['unknown root type "notes"', 'a shared type outside the layout']);
  });
});
