// The printed minutes (circular 49 appendix I, guideline appendix 4): the official labels word for word, the
// participants by side and role, Vietnam's dates, the co-edited texts, and characters no font has named, not "?".
import { describe, expect, it } from 'vitest';
import { minutesPdf, minutesPdfFileName, type MinutesPdfInput } from './minutes-pdf';
import { readPdf, shippedFonts } from '../pdf/read-back.testing';

const fonts = shippedFonts();

/** The labels of appendix I and appendix 4, as the seed texts of the circular and the guideline word them. */
const officialLabels = [
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập – Tự do – Hạnh phúc',
  'BIÊN BẢN HỘI CHẨN, TƯ VẤN KHÁM CHỮA BỆNH TỪ XA',
  'A. PHẦN HÀNH CHÍNH',
  'Đơn vị yêu cầu hội chẩn, tư vấn khám chữa bệnh từ xa',
  'Họ tên bác sỹ yêu cầu hội chẩn, tư vấn khám chữa bệnh từ xa',
  'Họ tên bác sỹ hội chẩn, tư vấn khám chữa bệnh từ xa',
  '1. Tổ chức/Cá nhân đề xuất hội chẩn',
  '2. Lý do hội chẩn',
  '4. Chúng tôi gồm: (ghi rõ họ tên, chức vụ từng người)',
  'a) Bên xin hội chẩn',
  'b) Bên tư vấn',
  '5. Địa điểm tổ chức/cá nhân xin hội chẩn',
  '6. Chủ tọa (bên xin hội chẩn)',
  '7. Thư ký',
  'B. NỘI DUNG HỘI CHẨN',
  'I. Thông tin chung của người bệnh',
  'Họ tên bệnh nhân',
  'Tuổi',
  'Giới tính',
  'Dân tộc',
  'Nghề nghiệp',
  'Địa chỉ',
  'Mã số hồ sơ khám chữa bệnh',
  'Số thẻ BHYT',
  'Mã chẩn đoán',
  'Vào viện lúc',
  'Tại khoa',
  'II. Diễn biến bệnh',
  'Diễn biến bệnh',
  '1. Tóm tắt tiền sử bệnh',
  '2. Tình trạng lúc vào viện',
  'Chiều cao',
  'Cân nặng',
  'Mạch',
  'Nhiệt độ',
  'Huyết áp',
  'Nhịp thở',
  'Triệu chứng',
  '3. Chẩn đoán hiện tại',
  '4. Tóm tắt diễn biến bệnh, quá trình điều trị, quá trình chăm sóc ở khoa',
  'Tuyên bố đồng ý tham gia tư vấn khám chữa bệnh từ xa',
  'Tôi đồng ý tham gia tư vấn khám chữa bệnh từ xa.',
  'III. Nội dung thảo luận',
  '1. Chẩn đoán, nguyên nhân, tiên lượng',
  '2. Phương pháp điều trị',
  '3. Chăm sóc',
  'IV. Kết luận (chủ tọa kết luận: Nêu rõ chẩn đoán, hướng xử lý tiếp tục và tiên lượng...)',
  'Đơn thuốc điều trị',
  'Nội dung tư vấn, khuyến cáo cho người bệnh, lịch nhắn tin',
  'Tư vấn sức khỏe',
  'Lần hẹn khám tiếp theo',
  'Ngày giờ hoàn thành khám',
  'Đã hoàn thành',
  'Phân loại phục vụ công tác thống kê',
  'Phân loại chỉ định',
  'Chuyển tuyến trên',
  'Điều trị tại nhà/TYT',
  'Khuyến nghị khác',
  'Tham gia hội chẩn',
  'Các thành viên',
  'Thư ký',
  'Chủ tọa'
];

const input = (): MinutesPdfInput => ({
  unitName: 'Trạm Y tế xã Y Tý',
  parentUnitName: 'Trung tâm Y tế khu vực Bát Xát',
  consultantUnitName: 'TTYT khu vực Bát Xát',
  icdName: (code) => ({ J18: 'Viêm phổi, không đặc hiệu' })[code],
  minutes: {
    id: 'r-1',
    number: '07',
    place: 'Y Tý',
    // 07:30 on 2 December in Vietnam: still 1 December in UTC.
    heldAt: '2026-12-02T00:30:00.000Z',
    proposer: 'Lý Thị Mai, Trạm Y tế xã Y Tý',
    reason: 'Sốt cao kéo dài, nghi viêm phổi',
    requestingDoctorName: 'Lý Thị Mai',
    consultantDoctorName: 'Nguyễn Văn Hùng',
    participants: [
      { name: 'Lý Thị Mai', role: 'chair', side: 'requesting', jobTitle: 'Trưởng trạm', unit: 'Trạm Y tế xã Y Tý' },
      { name: 'Sùng Thị Dế', role: 'secretary', side: 'requesting', jobTitle: 'Điều dưỡng' },
      { name: 'Nguyễn Văn Hùng', role: 'member', side: 'consulting', jobTitle: 'Bác sĩ nội khoa', unit: 'TTYT khu vực Bát Xát' }
    ],
    patientName: 'Giàng Thị Pà',
    patientDateOfBirth: '1990-12-03',
    patientGender: 'female',
    patientEthnicity: 'Hmông',
    patientOccupation: 'Làm ruộng',
    patientAddress: 'Thôn Lao Chải, xã Y Tý',
    insuranceNumber: '0123456789',
    diagnosisIcd: 'J18',
    temperatureC: 39.2,
    pulse: 104,
    history: 'Không có gì đặc biệt',
    symptoms: 'Ho, sốt, đau ngực phải',
    currentDiagnosis: 'Viêm phổi cộng đồng',
    consent: true,
    diagnosisCausePrognosis: 'Viêm phổi thùy dưới phải, tiên lượng tốt',
    treatment: 'Kháng sinh đường uống 7 ngày',
    care: 'Theo dõi nhiệt độ, nhịp thở mỗi 4 giờ',
    conclusion: 'Điều trị tại TYT; chuyển tuyến nếu khó thở tăng.',
    advice: 'Uống đủ nước; nhắn tin hỏi thăm sau 2 ngày',
    healthAdvice: true,
    classification: 'home_or_station',
    nextAppointmentAt: '2026-12-05T01:00:00.000Z'
  }
});

describe('the printed minutes (circular 49 appendix I, guideline appendix 4)', () => {
  it('prints every official label, the heading units and the title, in the embedded fonts, with no "?"', async () => {
    const { bytes, unprintable } = await minutesPdf(input(), fonts);
    expect(unprintable).toEqual([]);
    const { text, info } = await readPdf(bytes);
    for (const label of officialLabels) expect(text, label).toContain(label);
    expect(text).toContain('TRUNG TÂM Y TẾ KHU VỰC BÁT XÁT');
    expect(text).toContain('TRẠM Y TẾ XÃ Y TÝ');
    expect(info.Title).toBe('BIÊN BẢN HỘI CHẨN, TƯ VẤN KHÁM CHỮA BỆNH TỪ XA — Giàng Thị Pà');
    expect(text).not.toContain('?');
  });

  it('fills the administrative part: number, place and day, time in Vietnam, participants by side and role', async () => {
    const { text } = await readPdf((await minutesPdf(input(), fonts)).bytes);
    expect(text).toContain('Số: 07/BB-');
    expect(text).toContain('Y Tý, ngày 02 tháng 12 năm 2026');
    expect(text).toContain('3. Hôm nay, ngày 02 tháng 12 năm 2026; lúc 07 giờ 30 phút');
    expect(text).toContain('2. Lý do hội chẩn: Sốt cao kéo dài, nghi viêm phổi');
    expect(text).toContain('a) Bên xin hội chẩn: Lý Thị Mai, Trưởng trạm (Trạm Y tế xã Y Tý); Sùng Thị Dế, Điều dưỡng');
    expect(text).toContain('b) Bên tư vấn: Nguyễn Văn Hùng, Bác sĩ nội khoa (TTYT khu vực Bát Xát)');
    expect(text).toContain('6. Chủ tọa (bên xin hội chẩn): Lý Thị Mai');
    expect(text).toContain('7. Thư ký: Sùng Thị Dế');
  });

  it('prints the patient, the discussion and the conclusion, ticking what applies', async () => {
    const { text } = await readPdf((await minutesPdf(input(), fonts)).bytes);
    // Born 3 December 1990: 35 on 2 December 2026, the day before the birthday.
    expect(text).toContain('Tuổi: 35');
    expect(text).toContain('Giới tính: ☐ Nam ☒ Nữ');
    expect(text).toContain('Dân tộc: Hmông');
    expect(text).toContain('Mã chẩn đoán: J18 Viêm phổi, không đặc hiệu');
    expect(text).toContain('Nhiệt độ: 39,2 độ C');
    expect(text).toContain('☒ Tôi đồng ý tham gia tư vấn khám chữa bệnh từ xa.');
    expect(text).toContain('1. Chẩn đoán, nguyên nhân, tiên lượng: Viêm phổi thùy dưới phải, tiên lượng tốt');
    expect(text).toContain('Điều trị tại TYT; chuyển tuyến nếu khó thở tăng.');
    expect(text).toContain('Phân loại chỉ định: ☐ Chuyển tuyến trên ☒ Điều trị tại nhà/TYT');
    expect(text).toContain('Lần hẹn khám tiếp theo: Ngày 05/12/2026 Giờ: 08:00');
    expect(text).toContain('☐ Đã hoàn thành');
  });

  it('prints empty minutes with blanks to fill by hand, never "undefined"', async () => {
    const bare = input();
    bare.minutes = { id: 'r-2', heldAt: '2026-12-02T00:30:00.000Z' };
    const { text } = await readPdf((await minutesPdf(bare, fonts)).bytes);
    expect(text).toContain('Họ tên………………….');
    expect(text).toContain('Mạch ____ lần/phút');
    expect(text).not.toMatch(/undefined|null|NaN/);
  });

  it('keeps a long discussion on the following pages and names a character no font has instead of printing "?"', async () => {
    const long = input();
    long.minutes = { ...long.minutes, treatment: `${'Kháng sinh, hạ sốt, bù nước, theo dõi sát. '.repeat(150)}Xong 🩺.` };
    const { bytes, unprintable } = await minutesPdf(long, fonts);
    expect(unprintable).toEqual(['🩺']);
    const { text, pages } = await readPdf(bytes);
    expect(pages.length).toBeGreaterThan(1);
    expect(text).toContain('Xong 🩺.');
    expect(text).not.toContain('?');
    expect(text).toContain('Chủ tọa');
  });

  it('names the file after the patient without diacritics and the day it was held in Vietnam', () => {
    expect(minutesPdfFileName(input().minutes)).toBe('bien-ban-hoi-chan-Giang-Thi-Pa-02-12-2026.pdf');
  });
});
