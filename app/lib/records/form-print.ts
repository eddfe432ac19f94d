// "In phiếu" on the form screen: gathers what appendix 3 prints (the unit that wrote the form and its facility code
// from the unit directory, the names of the chart's codes, the ICD-10 names), makes the PDF on the device (offline)
// and hands it to the browser as a download. Loaded only when someone prints (the PDF writer is a chunk of its own).
import type { Fields } from '@telehealth/domain';
import { catalogs } from '../catalogs.svelte';
import { units } from '../units.svelte';
import { formPdf, formPdfFileName } from './form-pdf';
import { downloadPdf } from '../download';

const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);


/**
 * Prints the teleconsultation form of `patient` as appendix 3. The heading names the unit that wrote the form (its
 * `unitId`, else `fallbackUnitId`) with its facility code as the unit directory has it now. Returns the characters
 * the fonts cannot print (drawn as empty boxes), for the screen to name.
 */
export async function printForm(input: { form: Fields; patient: Fields; booking?: Fields; fallbackUnitId?: string | null }): Promise<{ unprintable: string[] }> {
  const unitId = text(input.form.unitId) ?? input.fallbackUnitId ?? undefined;
  const unit = units.list.find((u) => u.id === unitId);
  const [lookup, icd10] = await Promise.all([import('@telehealth/catalogs/communes'), catalogs.loadIcd10()]);
  const p = input.patient;
  const code = (k: string) => text(p[k]);
  const district = code('oldDistrictCode');
  const { bytes, unprintable } = await formPdf({
    form: input.form,
    patient: p,
    booking: input.booking,
    unitName: unit?.name ?? '',
    parentUnitName: units.name(unit?.parentId),
    facilityCode: unit?.facilityCode,
    places: {
      province: code('provinceCode') && lookup.findProvince(code('provinceCode')!)?.name,
      // Districts ended with the 2025 reform; a chart made before it keeps its old district.
      district: district && lookup.oldDistricts.find((d) => d.code === district)?.name,
      commune: code('communeCode') && lookup.findCommune(code('communeCode')!)?.name,
      ethnicity: code('ethnicityCode') && lookup.findEthnicGroup(code('ethnicityCode')!)?.name
    },
    icdName: (c) => icd10?.get(c)?.nameVi
  });
  downloadPdf(bytes, formPdfFileName(input.form, p));
  return { unprintable };
}
