// The printed teleconsultation form (appendix 3): the guideline's labels word for word, the facility code, the
// patient's self-report apart from the station's findings, Vietnam's dates and times, decimal commas — read back
// from the PDF's text layer as a PDF reader (pdf.js) extracts it.
import { describe, expect, it } from 'vitest';
import { formPdf, formPdfFileName, type FormPdfInput } from './form-pdf';
import { readPdf, shippedFonts } from '../pdf/read-back.testing';

const fonts = shippedFonts();

/** Appendix 3's labels as the guideline (the seed text of the ministry's guidance) words them. */
const officialLabels = [
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập – Tự do – Hạnh phúc',
  'Mã cơ sở y tế',
  'Mã hồ sơ',
  'PHIẾU TƯ VẤN KHÁM, CHỮA BỆNH TỪ XA',
  'Thông tin hành chính',
  'Họ tên người bệnh',
  'Số thẻ BHYT/Mã định danh y tế',
  'Nơi đăng ký KCB ban đầu',
  'Mục đích hẹn',
  'Khám tại TYT',
  'Khám tại nhà',
  'Đăng ký hộ',
  'Người đặt hẹn hộ',
  'Mã định danh người đặt hẹn',
  'Email',
  'Số điện thoại',
  'Giới tính',
  'Ngày sinh',
  'Nghề nghiệp',
  'Dân tộc',
  'Nơi cư trú hiện tại',
  'Tỉnh',
  'Huyện',
  'Xã',
  'Địa chỉ (số nhà, đường phố, v.v…)',
  'Phần hỏi bệnh/thông tin người bệnh tự khai',
  'Mã người bệnh ghi trên đơn thuốc',
  'Mã bệnh chính',
  'Mã bệnh kèm theo',
  'Tình trạng sức khỏe',
  'Không có dấu hiệu bất thường',
  'Chảy nước mũi khó chịu',
  'Sốt cao trên 38 độ',
  'Đau ngực khó thở',
  'Ho khan',
  'Đau bụng',
  'Khác',
  'Chiều cao',
  'Cân nặng',
  'Mạch',
  'Nhiệt độ',
  'Huyết áp',
  'Nhịp thở',
  'Tuyên bố đồng ý tham gia tư vấn khám chữa bệnh từ xa',
  'Tôi đã đọc, hiểu rõ, và đồng ý với những quy định cũng như hạn chế của tư vấn khám chữa bệnh từ xa.',
  'Tôi đồng ý tham gia tư vấn khám chữa bệnh từ xa.',
  'Thông tin về cuộc hẹn',
  'Ngày hẹn',
  'Giờ hẹn',
  'Ngày hẹn tái khám',
  'Giờ hẹn tái khám',
  'Yêu cầu khác',
  'Phần ghi chép/ Xử lý của TYT',
  'Họ tên bác sỹ tiếp nhận và xử lý',
  'Hẹn mới',
  'Chờ khám',
  'Hủy',
  'Đã xác minh/cập nhật thông tin hành chính',
  'Tiền sử bệnh',
  'Tình trạng khi đến khám',
  'Triệu chứng',
  'Chẩn đoán',
  'Mã chẩn đoán (ICD10)',
  'Bệnh chính',
  'Bệnh kèm theo',
  'Là đối tượng quản lý thuộc chương trình y tế',
  'Phương pháp điều trị',
  'Phân loại hướng xử lý',
  'Chuyển tuyến trên',
  'Tư vấn KCB từ xa',
  'Điều trị tại nhà/TYT',
  'Nội dung tư vấn, khuyến cáo cho người bệnh',
  'Tư vấn sức khỏe',
  'Lần hẹn khám tiếp theo',
  'Ngày giờ hoàn thành khám',
  'Đã hoàn thành'
];

const icdNames: Record<string, string> = { J45: 'Hen phế quản', I10: 'Bệnh lý tăng huyết áp vô căn (nguyên phát)' };

const input = (): FormPdfInput => ({
  unitName: 'Trạm Y tế xã Y Tý',
  parentUnitName: 'Trung tâm Y tế khu vực Bát Xát',
  facilityCode: '15122',
  places: { province: 'Lào Cai', district: 'Huyện Bát Xát', commune: 'Xã Y Tý', ethnicity: 'Hmông' },
  icdName: (code) => icdNames[code],
  patient: {
    fullName: 'Giàng Thị Pà',
    gender: 'female',
    dateOfBirth: '1990-03-12',
    insuranceNumber: '0123456789',
    personalId: '010190001234',
    phone: '0912345678',
    occupation: 'Làm ruộng',
    address: 'Thôn Lao Chải',
    initialRegistrationPlace: 'Trạm Y tế xã Y Tý'
  },
  booking: {
    purpose: 'station',
    status: 'done',
    // 06:30 on 23 November in Vietnam: the previous day in UTC.
    wishedAt: '2026-11-22T23:30:00.000Z',
    symptoms: ['high_fever', 'dry_cough'],
    temperatureC: 38.6,
    pulse: 96,
    consent: true,
    otherRequest: 'Xin khám sớm'
  },
  form: {
    id: 'f1',
    recordNumber: 'HS-2026-0042',
    prescriptionPatientCode: 'BN-7',
    selfReportedSymptoms: ['high_fever', 'dry_cough'],
    identityVerified: true,
    consent: true,
    consentBy: 'patient',
    handlingDoctorName: 'Lý Thị Mai',
    history: 'Hen phế quản từ nhỏ',
    temperatureC: 37.5,
    pulse: 88,
    bpSystolic: 118,
    bpDiastolic: 76,
    respiratoryRate: 22,
    weightKg: 52.5,
    symptoms: 'Ho, khò khè về đêm',
    diagnosis: 'Đợt cấp hen phế quản nhẹ',
    mainIcd: 'J45',
    secondaryIcds: ['I10'],
    healthProgram: 'Quản lý bệnh không lây nhiễm',
    treatmentMethod: 'Thuốc giãn phế quản dạng hít',
    handling: 'teleconsultation',
    advice: 'Tránh khói bếp; quay lại ngay nếu khó thở tăng.',
    healthAdvice: true,
    // 08:00 on 29 November and 07:15 on 23 November, Vietnam's time.
    nextAppointmentAt: '2026-11-29T01:00:00.000Z',
    completedAt: '2026-11-23T00:15:00.000Z',
    createdAt: '2026-11-22T23:40:00.000Z'
  }
});

describe('the printed teleconsultation form (appendix 3)', () => {
  it('prints every label of appendix 3 as the guideline words it, with the unit, its facility code and the title', async () => {
    const { bytes, unprintable } = await formPdf(input(), fonts);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('%PDF-1.7');
    expect(unprintable).toEqual([]);
    const { text, info } = await readPdf(bytes);
    for (const label of officialLabels) expect(text, label).toContain(label);
    expect(text).toContain('TRUNG TÂM Y TẾ KHU VỰC BÁT XÁT');
    expect(text).toContain('TRẠM Y TẾ XÃ Y TÝ');
    expect(text).toContain('Mã cơ sở y tế: 15122');
    expect(text).toContain('Mã hồ sơ: HS-2026-0042');
    expect(info.Title).toBe('PHIẾU TƯ VẤN KHÁM, CHỮA BỆNH TỪ XA — Giàng Thị Pà');
    expect(text).not.toContain('?');
  });

  it('fills the administrative part from the chart and the booking, ticking what applies', async () => {
    const { text } = await readPdf((await formPdf(input(), fonts)).bytes);
    expect(text).toContain('Họ tên người bệnh: Giàng Thị Pà');
    expect(text).toContain('Số thẻ BHYT/Mã định danh y tế: 0123456789 / 010190001234');
    expect(text).toContain('Mục đích hẹn: ☒ Khám tại TYT ☐ Khám tại nhà ☐ Đăng ký hộ');
    expect(text).toContain('Giới tính: ☐ Nam ☒ Nữ');
    expect(text).toContain('Ngày sinh: 12/03/1990');
    expect(text).toContain('Dân tộc: Hmông');
    expect(text).toContain('Tỉnh: Lào Cai');
    expect(text).toContain('Xã: Xã Y Tý');
  });

  it('prints the patient’s own measurements in the self-report part and the station’s in its own, with decimal commas', async () => {
    const { text } = await readPdf((await formPdf(input(), fonts)).bytes);
    const self = text.slice(text.indexOf('Phần hỏi bệnh/thông tin người bệnh tự khai'), text.indexOf('Thông tin về cuộc hẹn'));
    const station = text.slice(text.indexOf('Phần ghi chép/ Xử lý của TYT'));
    expect(self).toContain('☒ Sốt cao trên 38 độ');
    expect(self).toContain('☒ Ho khan');
    expect(self).toContain('☐ Đau ngực khó thở');
    expect(self).toContain('Mạch 96 lần/phút');
    expect(self).toContain('Nhiệt độ: 38,6 độ C');
    expect(self).toContain('☒ Tôi đồng ý tham gia tư vấn khám chữa bệnh từ xa.');
    expect(station).toContain('Mạch 88 lần/phút');
    expect(station).toContain('Nhiệt độ: 37,5 độ C');
    expect(station).toContain('Huyết áp 118/76 (mm Hg)');
    expect(station).toContain('Cân nặng 52,5 kg');
    expect(station).not.toContain('38,6');
    expect(station).toContain('☒ Đã xác minh/cập nhật thông tin hành chính');
    expect(station).toContain('Bệnh chính: J45 Hen phế quản');
    expect(station).toContain('Bệnh kèm theo: I10 Bệnh lý tăng huyết áp vô căn (nguyên phát)');
    expect(station).toContain('☒ Là đối tượng quản lý thuộc chương trình y tế: Quản lý bệnh không lây nhiễm');
    expect(station).toContain('Phân loại hướng xử lý: ☐ Chuyển tuyến trên ☒ Tư vấn KCB từ xa ☐ Điều trị tại nhà/TYT');
    expect(station).toContain('☒ Tư vấn sức khỏe');
  });

  it('dates and times in Vietnam’s time: an appointment at 06:30 is on that day, not the previous day in UTC', async () => {
    const { text } = await readPdf((await formPdf(input(), fonts)).bytes);
    expect(text).toContain('Ngày hẹn: 23/11/2026');
    expect(text).toContain('Giờ hẹn: 06:30');
    expect(text).toContain('Ngày hẹn tái khám: 29/11/2026');
    expect(text).toContain('Giờ hẹn tái khám: 08:00');
    expect(text).toContain('Lần hẹn khám tiếp theo: Ngày 29/11/2026 Giờ: 08:00');
    expect(text).toContain('Ngày giờ hoàn thành khám: 23/11/2026 07:15');
    expect(text).toContain('Ngày giờ hoàn thành khám: 23/11/2026 07:15 ☒ Đã hoàn thành');
  });

  it('prints a form without booking, facility code or measurements with blanks to fill by hand, never "undefined"', async () => {
    const bare = input();
    bare.booking = undefined;
    bare.facilityCode = null;
    bare.places = {};
    bare.form = { id: 'f2', consent: true };
    const { text } = await readPdf((await formPdf(bare, fonts)).bytes);
    expect(text).toContain('Mã cơ sở y tế: …');
    expect(text).toContain('Mạch ____ lần/phút');
    expect(text).toContain('Huyết áp ____/____ (mm Hg)');
    expect(text).toContain('☐ Khám tại TYT');
    expect(text).toContain('☐ Đã hoàn thành');
    expect(text).not.toMatch(/undefined|null|NaN/);
  });

  it('keeps long text on the following pages and names the characters no font can print', async () => {
    const long = input();
    long.form = { ...long.form, advice: `${'Uống đủ nước, nghỉ ngơi, theo dõi nhịp thở. '.repeat(120)}Đeo khẩu trang 😷.` };
    const { bytes, unprintable } = await formPdf(long, fonts);
    expect(unprintable).toEqual(['😷']);
    const { text, pages } = await readPdf(bytes);
    expect(pages.length).toBeGreaterThan(1);
    expect(text).toContain('Đeo khẩu trang 😷.');
    expect(text).toContain('Đã hoàn thành');
  });

  it('names the file after the patient without diacritics and the day of the visit', () => {
    const { form, patient } = input();
    expect(formPdfFileName(form, patient)).toBe('phieu-tu-van-Giang-Thi-Pa-23-11-2026.pdf');
  });
});
