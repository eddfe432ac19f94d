// "Báo cáo mức độ y tế từ xa tại cơ sở y tế": the report form of decision 28/QĐ-BYT (2021), appendix, filled from a
// unit's self-assessment (packages/domain/telehealth-level.ts) and the unit directory, with an annex listing each
// criterion as met, not met or not applicable. Made on the device with the project's PDF writer and the fonts of the
// other forms; the official words are the i18n catalog's (Vietnamese whatever the screen's language). Characters no
// font has are drawn as empty boxes and returned for the screen to name.
import { levelCriteria, levelGroups, telehealthForms, type LevelAnswers, type LevelResult } from '@telehealth/domain';
import type { MessageKey } from '../i18n/catalog';
import { PdfDocument } from '../pdf/writer';
import { L, Writer, addFormFonts, asciiFileName, box, margin, reportFooter, reportHeading, type PdfFontFiles } from '../records/pdf-layout';

export type LevelPdfInput = {
  unit: { name: string; address: string | null; licence: string | null; phone: string | null };
  answers: LevelAnswers;
  result: LevelResult;
  connectionPoints: number;
  /** The report's date (an instant; printed as Vietnam's day). */
  at: string | number;
};

const or = (v: string | null | undefined, blank = '……') => (v && v.trim() ? v.trim() : blank);

export async function levelPdf(input: LevelPdfInput, fonts: string | PdfFontFiles = '/fonts'): Promise<{ bytes: Uint8Array; unprintable: string[] }> {
  const pdf = new PdfDocument();
  const { regular, bold } = await addFormFonts(pdf, fonts);
  const { answers: a, result, unit } = input;
  pdf.title = `${L('pdflevel.title')} — ${unit.name}`;
  pdf.creator = L('app.name');
  const w = new Writer(pdf, regular, bold);
  w.size = 11;

  reportHeading(w, { governingBody: a.governingBody, unitName: unit.name, number: a.number, place: a.place, at: input.at, title: L('pdflevel.title') });
  w.text(L('pdflevel.to', { recipient: or(a.recipient) }), { center: true, gap: 6 });

  w.field(L('pdflevel.unitName'), unit.name);
  w.field(L('pdflevel.address'), or(unit.address));
  w.field(L('pdflevel.licence'), or(unit.licence));
  w.field(L('pdflevel.head'), or(a.head));
  w.row([
    { label: L('pdflevel.phone'), value: or(unit.phone) },
    { label: L('pdflevel.email'), value: or(a.email) }
  ]);

  w.text(L('pdflevel.forms'), { gap: 2 });
  for (const n of telehealthForms) w.text(`${n}   ${box(a.forms.includes(n))} ${L(`level.form.${n}` as MessageKey)}`, { x: margin + 12, gap: 1 });
  w.text(`7   ${box(a.otherForms.trim() !== '')} ${L('level.form.7')}: ${or(a.otherForms, '……')}`, { x: margin + 12, gap: 6 });

  w.text(L('pdflevel.basis'), { gap: 4 });
  w.text(result.level === 0 ? L('pdflevel.reachesNone', { unit: unit.name }) : L('pdflevel.reaches', { unit: unit.name, level: result.level }), { bold: true, gap: 4 });
  w.text(L('pdflevel.reportsTo', { unit: unit.name, recipient: or(a.recipient) }), { gap: 12 });

  reportFooter(w, {
    recipients: [L('pdflevel.recipients1'), L('pdflevel.recipients2'), L('pdflevel.recipients3')],
    signTitle: L('pdflevel.signTitle'),
    signHint: L('pdflevel.signHint'),
    signer: or(a.head, '')
  });
  w.y -= 16;

  // ---- The annex: each criterion as the unit stands, so that whoever reads the level sees what it rests on.
  w.text(L('pdflevel.annex'), { bold: true, size: 12, center: true, gap: 2 });
  w.text(L('pdflevel.annexHint', { points: input.connectionPoints }), { size: 9.5, center: true, gap: 6 });
  w.size = 9.5;
  w.text(L('pdflevel.level1'), { bold: true, gap: 1 });
  for (const k of ['doctors', 'citizens', 'units'] as const) w.text(`${box(a.phone[k])} ${L(`level.phone.${k}`)}`, { x: margin + 12, gap: 1 });
  w.y -= 4;
  for (const group of levelGroups) {
    w.text(`${group}. ${L(`level.group.${group}`)}`, { bold: true, gap: 1 });
    for (const c of levelCriteria.filter((x) => x.group === group)) {
      const r = result.criteria[c.n - 1]!;
      const state = !r.applies ? L('level.state.notApplicable') : r.met ? L('level.state.met') : L('level.state.notMet');
      w.text(`${c.n}. ${L(`level.c${c.n}` as MessageKey)} (${L('pdflevel.levels', { levels: c.levels.join(', ') })}): ${state}`, { x: margin + 12, gap: 1 });
    }
    w.y -= 3;
  }
  return { bytes: await pdf.save(), unprintable: pdf.unprintable };
}

/** "muc-do-y-te-tu-xa-<unit without diacritics>-<year>.pdf". */
export const levelPdfFileName = (unitName: string, year: number) => `muc-do-y-te-tu-xa-${asciiFileName(unitName)}-${year}.pdf`;
