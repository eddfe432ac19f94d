// The printed prescription: A5, the form's labels, the code as text and as a QR code that reads back, each drug with
// its quantity and how to take it, the date in Vietnam's time, and characters no font has named, not "?".
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { prescriptionPdf, prescriptionPdfFileName, type PrescriptionPdfInput } from './prescription-pdf';
import { readPdf, shippedFonts } from '../pdf/read-back.testing';

const fonts = shippedFonts();
const input: PrescriptionPdfInput = {
  prescription: {
    id: 'rx1',
    type: 'c',
    code: '15122k3x9q2m-c',
    diagnosis: 'Viêm họng cấp',
    icds: ['J02.9'],
    items: [
      { drugName: 'Paracetamol', strength: '500 mg', dosageForm: 'viên nén', unit: 'viên', quantity: 10, route: 'Uống', days: 5, usage: 'Uống 1 viên khi sốt trên 38,5 độ' },
      { drugName: 'Oresol', unit: 'gói', quantity: 4.5, usage: 'Pha 1 gói với 1 lít nước' }
    ],
    advice: 'Uống nhiều nước ấm',
    prescriberName: 'Y sĩ Lò Thị Hoa',
    // 23:30 on 30 November in UTC is 1 December in Vietnam.
    issuedAt: '2026-11-30T23:30:00.000Z',
    replacesId: 'rx0'
  },
  patient: { fullName: 'Hầu Thị Dua', dateOfBirth: '1990-05-05', gender: 'female', insuranceNumber: 'DN4010123456789', address: 'Thôn Ngải Thầu, xã Y Tý' },
  unitName: 'Trạm Y tế xã Y Tý',
  parentUnitName: 'Trung tâm Y tế khu vực Bát Xát',
  replacesCode: '15122aaaaaaa-c'
};

describe('the prescription PDF', () => {
  it('prints the form on A5 with the code, the patient, each drug and the prescriber', async () => {
    const { bytes, unprintable } = await prescriptionPdf(input, fonts);
    expect(unprintable).toEqual([]);
    const { text, info } = await readPdf(bytes);
    for (const expected of [
      'TRẠM Y TẾ XÃ Y TÝ',
      'ĐƠN THUỐC',
      'Mã đơn thuốc: 15122k3x9q2m-c',
      '(Thay cho đơn 15122aaaaaaa-c)',
      'Họ tên: Hầu Thị Dua',
      'Ngày sinh: 05/05/1990',
      'Giới tính: Nữ',
      'Mã số thẻ bảo hiểm y tế (nếu có): DN4010123456789',
      'Chẩn đoán: Viêm họng cấp (J02.9)',
      '1. Paracetamol 500 mg (viên nén)',
      'Số lượng: 10 viên',
      'Uống. Uống 1 viên khi sốt trên 38,5 độ. Dùng 5 ngày',
      '2. Oresol',
      'Số lượng: 4,5 gói',
      'Lời dặn: Uống nhiều nước ấm',
      'Ngày 01 tháng 12 năm 2026',
      'Y sĩ Lò Thị Hoa'
    ]) {
      expect(text).toContain(expected);
    }
    expect(info.Title).toBe('ĐƠN THUỐC 15122k3x9q2m-c');
    // A5 portrait: 148 × 210 mm.
    const pdfText = new TextDecoder('latin1').decode(bytes);
    expect(pdfText).toMatch(/\/MediaBox \[0 0 419\.53 595\.28\]/);
    expect(prescriptionPdfFileName(input.prescription)).toBe('don-thuoc-15122k3x9q2m-c.pdf');
  });

  it('draws the code as a QR code, module for module as the encoder makes it', async () => {
    const { encode } = await import('uqr');
    const { bytes } = await prescriptionPdf(input, fonts);
    // The page's content streams, inflated; the QR code is the one filled path of squares.
    const raw = Buffer.from(bytes).toString('latin1');
    const streams = [...raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)].flatMap((m) => {
      try {
        return [inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1')];
      } catch {
        return [];
      }
    });
    const path = streams.flatMap((s) => s.split('\n')).find((op) => op.startsWith('0 0 0 rg') && op.endsWith(' f'));
    expect(path).toBeDefined();
    const numbers = path!.slice('0 0 0 rg '.length, -' f'.length).split(' re').map((r) => r.trim().split(' ').map(Number)).filter((r) => r.length === 4);
    const cell = numbers[0]![2]!;
    const left = Math.min(...numbers.map((r) => r[0]!));
    const top = Math.max(...numbers.map((r) => r[1]! + r[3]!));
    const drawn = new Set(numbers.map(([x, y, , h]) => `${Math.round((x! - left) / cell)},${Math.round((top - y! - h!) / cell)}`));
    const matrix = encode('15122k3x9q2m-c', { ecc: 'M' }).data;
    const cells = matrix.flatMap((row, r) => row.flatMap((dark, c) => (dark ? [[c, r] as const] : [])));
    const c0 = Math.min(...cells.map(([c]) => c));
    const r0 = Math.min(...cells.map(([, r]) => r));
    expect(drawn).toEqual(new Set(cells.map(([c, r]) => `${c - c0},${r - r0}`)));
  });

  it('names characters the fonts cannot print', async () => {
    const { unprintable } = await prescriptionPdf({ ...input, prescription: { ...input.prescription, advice: 'Uống thuốc 💊' } }, fonts);
    expect(unprintable).toEqual(['💊']);
  });
});
