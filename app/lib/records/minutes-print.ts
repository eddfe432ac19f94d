// "In biên bản" on the minutes screen: gathers what the PDF prints (the requesting station and its parent, the upper
// unit, the ICD-10 names), makes it on the device (offline) and hands it to the browser as a download. Loaded only
// when someone prints (the PDF writer is a chunk of its own).
import type { Fields } from '@telehealth/domain';
import { catalogs } from '../catalogs.svelte';
import { units } from '../units.svelte';
import { downloadPdf } from '../download';
import { minutesPdf, minutesPdfFileName } from './minutes-pdf';

const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** The PDF of `minutes` (plain fields and co-edited texts), and the characters the fonts cannot print. */
export async function makeMinutesPdf(minutes: Fields): Promise<{ bytes: Uint8Array; unprintable: string[] }> {
  const station = units.list.find((u) => u.id === text(minutes.requestingUnitId));
  const icd10 = await catalogs.loadIcd10();
  return minutesPdf({
    minutes,
    unitName: station?.name ?? '',
    parentUnitName: units.name(station?.parentId),
    consultantUnitName: units.name(text(minutes.consultantUnitId)),
    icdName: (c) => icd10?.get(c)?.nameVi
  });
}

/** Prints `minutes`; returns the characters the fonts cannot print, for the screen to name. */
export async function printMinutes(minutes: Fields): Promise<{ unprintable: string[] }> {
  const { bytes, unprintable } = await makeMinutesPdf(minutes);
  downloadPdf(bytes, minutesPdfFileName(minutes));
  return { unprintable };
}
