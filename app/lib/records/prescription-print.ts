// "In đơn thuốc" on the prescription screen: the unit and its parent from the unit directory, the PDF made on the
// device (offline) and handed to the browser as a download. Loaded only when someone prints.
import type { Fields } from '@telehealth/domain';
import { units } from '../units.svelte';
import { downloadPdf } from '../download';
import { prescriptionPdf, prescriptionPdfFileName } from './prescription-pdf';

/** The PDF of an issued prescription, and the characters the fonts cannot print. */
export async function makePrescriptionPdf(prescription: Fields, patient: Fields, replacesCode?: string): Promise<{ bytes: Uint8Array; unprintable: string[] }> {
  const unit = units.list.find((u) => u.id === prescription.unitId);
  return prescriptionPdf({
    prescription,
    patient,
    unitName: unit?.name ?? '',
    parentUnitName: units.name(unit?.parentId),
    replacesCode
  });
}

/** Prints an issued prescription; returns the characters the fonts cannot print, for the screen to name. */
export async function printPrescription(prescription: Fields, patient: Fields, replacesCode?: string): Promise<{ unprintable: string[] }> {
  const { bytes, unprintable } = await makePrescriptionPdf(prescription, patient, replacesCode);
  downloadPdf(bytes, prescriptionPdfFileName(prescription));
  return { unprintable };
}
