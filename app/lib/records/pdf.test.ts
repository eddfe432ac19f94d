// The printed consultation request (appendix 4A), read back from the PDF's text layer: its labels, the case as
// the station wrote it, Vietnam's date and decimal commas, photos named and on pages of their own.
import { describe, expect, it } from 'vitest';
import { requestPdf } from './pdf';
import { readPdf, shippedFonts } from '../pdf/read-back.testing';

const fonts = shippedFonts();

describe('the printed consultation request (appendix 4A)', () => {
  it('prints the request as written, dated in Vietnam’s time, with decimal commas', async () => {
    const { bytes, unprintable } = await requestPdf(
      {
        request: {
          patientName: 'Giàng Thị Pà',
          patientGender: 'female',
          requestingDoctorName: 'Lý Thị Mai',
          // 06:00 on 23 November in Vietnam, still the 22nd in UTC.
          sentAt: '2026-11-22T23:00:00.000Z',
          admittedAt: '2026-11-22T23:00:00.000Z',
          department: 'Khám bệnh',
          diagnosisIcd: 'J45',
          secondaryIcds: ['I10'],
          temperatureC: 38.5,
          requestContent: 'Xin ý kiến điều trị'
        },
        unitName: 'Trạm Y tế xã Y Tý',
        parentUnitName: 'Trung tâm Y tế khu vực Bát Xát',
        upperUnitName: 'Trung tâm Y tế khu vực Bát Xát',
        photos: [],
        icdName: (code) => (code === 'I10' ? 'Tăng huyết áp' : undefined)
      },
      fonts
    );
    expect(unprintable).toEqual([]);
    const { text } = await readPdf(bytes);
    expect(text).toContain('PHIẾU YÊU CẦU HỘI CHẨN, TƯ VẤN KHÁM CHỮA BỆNH TỪ XA');
    expect(text).toContain('Ngày 23 tháng 11 năm 2026');
    expect(text).toContain('Vào viện lúc: 23/11/2026 06 giờ 00 phút');
    expect(text).toContain('Tại khoa: Khám bệnh');
    expect(text).toContain('I10 Tăng huyết áp');
    expect(text).toContain('38,5');
    expect(text).toContain('Yêu cầu hội chẩn/khám chuyên khoa tuyến trên: Xin ý kiến điều trị');
  });
});
