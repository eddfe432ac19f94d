// The printed report "Mức độ y tế từ xa tại cơ sở y tế" (decision 28/QĐ-BYT, appendix): the form's own words, the
// unit from the directory, the level the answers reach, and an annex of every criterion as the unit stands.
import { describe, expect, it } from 'vitest';
import { assessLevel, emptyLevelAnswers, unitCriteria } from '@telehealth/domain';
import { levelPdf, levelPdfFileName } from './level-pdf';
import { readPdf, shippedFonts } from '../pdf/read-back.testing';

const fonts = shippedFonts();
const unit = { name: 'Trạm Y tế xã Y Tý', address: 'Thôn Hòa Sen, xã Y Tý, tỉnh Lào Cai', licence: '123/LC-GPHĐ', phone: '02143880701' };

describe('the telehealth level report', () => {
  it('prints the form of the seed with the unit, its forms of telehealth, the level reached and the criteria', async () => {
    const answers = { ...emptyLevelAnswers(), phone: { doctors: true, citizens: true, units: true }, met: [1, 2, 70], forms: [1, 2], otherForms: 'Giao ban trực tuyến', number: '12/BC-TYT', place: 'Lào Cai', recipient: 'Trung tâm Y tế khu vực Bát Xát', governingBody: 'Trung tâm Y tế khu vực Bát Xát', head: 'Lò Thị Hoa' };
    const result = assessLevel(answers, { sfu: true }, 2);
    // 10:00 on 1 December 2026 in Vietnam is 03:00 UTC.
    const { bytes, unprintable } = await levelPdf({ unit, answers, result, connectionPoints: 2, at: '2026-12-01T03:00:00.000Z' }, fonts);
    expect(unprintable).toEqual([]);
    const { text } = await readPdf(bytes);
    for (const words of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'BÁO CÁO',
      'Mức độ y tế từ xa tại cơ sở y tế',
      'Kính gửi: Trung tâm Y tế khu vực Bát Xát',
      'Tên cơ sở y tế: Trạm Y tế xã Y Tý',
      'Địa chỉ cơ sở y tế: Thôn Hòa Sen, xã Y Tý, tỉnh Lào Cai',
      'Giấy phép hoạt động: 123/LC-GPHĐ',
      'Người đứng đầu cơ sở y tế: Lò Thị Hoa',
      'Các hình thức y tế từ xa đã triển khai (liệt kê danh sách):',
      '☒ Tư vấn phòng bệnh từ xa',
      '☐ Tư vấn chẩn đoán hình ảnh từ xa',
      'Các hình thức khác: Giao ban trực tuyến',
      'Số: 12/BC-TYT',
      'Lào Cai, ngày 01 tháng 12 năm 2026',
      'Trạm Y tế xã Y Tý đạt mức độ 1 y tế từ xa tại cơ sở y tế.',
      'Thủ trưởng đơn vị',
      '(Ký tên đóng dấu)',
      // The annex: a unit criterion ticked, one not, one the product gives, one it lacks, the connection points.
      '1. Trang bị máy tính tối thiểu phải đáp ứng triển khai ứng dụng công nghệ thông tin (CNTT) (mức 2, 3, 4, 5): Đạt',
      '3. Máy chủ (mức 2, 3, 4, 5): Chưa đạt',
      '43. Quản lý thông tin bệnh nhân (mức 2, 3, 4, 5): Đạt',
      '61. Biên bản hội chẩn (có ký số) (mức 4, 5): Đạt',
      '60. Quản lý lịch hội chẩn (mức 4, 5): Đạt',
      '49. Quản lý thông tin, hình ảnh, âm thanh của các ca tư vấn (mức 2, 3, 4, 5): Đạt',
      '52. Kết nối với HIS (HL7) (mức 4, 5): Đạt',
      '53. Kết nối với LIS (HL7) (mức 4, 5): Chưa đạt',
      '20. Máy thu hình ảnh kỹ thuật số từ phòng phẫu thuật (chỉ áp dụng khi có phòng phẫu thuật) (mức 3, 4, 5): Không áp dụng',
      '72. Số điểm kết nối tối thiểu: 5 (mức 2, 3, 4, 5): Chưa đạt'
    ]) {
      expect(text, words).toContain(words);
    }
  });

  it('says plainly when not even level 1 is reached, and names its file after the unit and the year', async () => {
    const answers = { ...emptyLevelAnswers(), met: [...unitCriteria] };
    const { bytes } = await levelPdf({ unit: { name: 'Trạm Y tế xã Đồng Văn', address: null, licence: null, phone: null }, answers, result: assessLevel(answers, { sfu: false }, 1), connectionPoints: 1, at: '2026-12-01T03:00:00.000Z' }, fonts);
    const { text } = await readPdf(bytes);
    expect(text).toContain('Trạm Y tế xã Đồng Văn chưa đạt mức độ 1 y tế từ xa tại cơ sở y tế.');
    expect(text).toContain('Địa chỉ cơ sở y tế: ……');
    expect(levelPdfFileName('Trạm Y tế xã Đồng Văn', 2026)).toBe('muc-do-y-te-tu-xa-Tram-Y-te-xa-Dong-Van-2026.pdf');
  });
});
