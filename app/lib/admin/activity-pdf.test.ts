// The printed yearly report of circular 49 appendix II ("Báo cáo về việc thực hiện hoạt động y tế từ xa"): its nine
// items in the seed's words, the unit from the directory, and the prefill from the records' figures.
import { describe, expect, it } from 'vitest';
import { emptyActivityReport, type ActivityFigures } from '@telehealth/domain';
import { activityPdf, activityPdfFileName } from './activity-pdf';
import { activityContent, activityReport, readFigures } from './activity-report';
import { readPdf, shippedFonts } from '../pdf/read-back.testing';

const unit = { id: 'tyt-02701', name: 'Trạm Y tế xã Y Tý', address: 'Thôn Hòa Sen, xã Y Tý, tỉnh Lào Cai', licence: '123/LC-GPHĐ', phone: '02143880701', parentName: 'Trung tâm Y tế khu vực Bát Xát' };
const figures: ActivityFigures = { formsCompleted: 42, requestsSent: 7, requestsReceived: 0, appointmentsDone: 35, calls: { consultation: 6, briefing: 12, professional: 2, other: 1 }, firstActivity: '2026-02-28T18:30:00.000Z' };

describe('the yearly activity report', () => {
  it('is prefilled from the records: the first activity as Vietnam’s day, the year’s figures, the staff, article 7 when requests went up', () => {
    const staff = [{ name: 'Lý Thị Mai', jobTitle: 'Trưởng trạm', qualification: 'Y sĩ', practiceCertificate: '' }];
    const r = activityReport.start(null, unit, { figures, staff }, 2026);
    // 18:30 UTC on 28 February is 1 March in Vietnam.
    expect(r.startedOn).toBe('01/03/2026');
    expect(r.content).toBe(
      'Năm 2026, đơn vị đã thực hiện: 42 lượt tư vấn khám bệnh, chữa bệnh từ xa (phiếu tư vấn đã hoàn thành); 7 yêu cầu hội chẩn gửi tuyến trên; 0 yêu cầu hội chẩn nhận từ tuyến dưới; 35 lượt hẹn khám đã khám; 21 cuộc gọi y tế từ xa (tư vấn, khám chữa bệnh từ xa: 6; giao ban, họp định kỳ: 12; sinh hoạt chuyên môn: 2; khác: 1).'
    );
    expect(r.participants).toEqual(staff);
    expect(r.governingBody).toBe('Trung tâm Y tế khu vực Bát Xát');
    expect(r.consultations.map((c) => c.done)).toEqual([true, false, false, false, false]);
    // A saved report is taken as it is.
    const saved = { ...emptyActivityReport(), content: 'Đã sửa' };
    expect(activityReport.start(saved, unit, { figures, staff }, 2026)).toBe(saved);
    expect(readFigures({ ...figures, formsCompleted: -1 })).toBeUndefined();
    expect(readFigures(null)).toBeNull();
  });

  it('prints the nine items of appendix II with the heading and the signature', async () => {
    const report = {
      ...emptyActivityReport(),
      number: '05/BC-TYT',
      place: 'Lào Cai',
      governingBody: 'Trung tâm Y tế khu vực Bát Xát',
      head: 'Lý Thị Mai',
      startedOn: '01/03/2026',
      content: activityContent(figures, 2026),
      participants: [{ name: 'Lý Thị Mai', jobTitle: 'Trưởng trạm', qualification: 'Y sĩ', practiceCertificate: '000321/LC-CCHN' }],
      itRequirements: [{ met: true, note: 'Máy tính, mạng, lưu điện' }, { met: true, note: '' }, { met: false, note: '' }, { met: true, note: '' }, { met: false, note: '' }],
      consultations: [{ done: true, note: 'Hội chẩn hằng tuần với TTYT Bát Xát' }, { done: false, note: '' }, { done: false, note: '' }, { done: false, note: '' }, { done: false, note: '' }]
    };
    const { bytes, unprintable } = await activityPdf({ unit, report, at: '2026-12-01T03:00:00.000Z' }, shippedFonts());
    expect(unprintable).toEqual([]);
    const { text } = await readPdf(bytes);
    for (const words of [
      'TRUNG TÂM Y TẾ KHU VỰC BÁT XÁT',
      'TRẠM Y TẾ XÃ Y TÝ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Số: 05/BC-TYT',
      'Lào Cai, ngày 01 tháng 12 năm 2026',
      'BÁO CÁO',
      'Về việc thực hiện hoạt động y tế từ xa',
      '1. Tên cơ sở y tế: Trạm Y tế xã Y Tý',
      '2. Giấy phép hoạt động y tế/khám, chữa bệnh số: 123/LC-GPHĐ',
      '3. Địa chỉ cơ sở y tế: Thôn Hòa Sen, xã Y Tý, tỉnh Lào Cai',
      '4. Điện thoại: 02143880701',
      '5. Thời gian bắt đầu thực hiện y tế từ xa: 01/03/2026',
      '6. Nội dung hoạt động y tế từ xa:',
      '42 lượt tư vấn khám bệnh, chữa bệnh từ xa',
      '7. Danh sách người tham gia hoạt động y tế từ xa tại cơ sở y tế:',
      '1. Lý Thị Mai – Trưởng trạm – Y sĩ – CCHN số 000321/LC-CCHN',
      '8. Đáp ứng yêu cầu về kỹ thuật công nghệ thông tin (liệt kê theo Điều 4 của Thông tư này):',
      '☒ Hạ tầng kỹ thuật công nghệ thông tin và biện pháp bảo đảm an toàn bảo mật thông tin đáp ứng Điều 3 và Điều 4 của Thông tư số 53/2014/TT-BYT: Máy tính, mạng, lưu điện',
      '☐ Hệ thống ghi dữ liệu có dung lượng lưu trữ tối thiểu 10 năm',
      '9. Đáp ứng các yêu cầu kỹ thuật công nghệ thông tin khác (theo nội dung tư vấn quy định tại các điều 7, 8, 9, 10, và 11 Thông tư này):',
      '☒ Điều 7. Hội chẩn tư vấn khám bệnh, chữa bệnh từ xa: Hội chẩn hằng tuần với TTYT Bát Xát',
      '☐ Điều 11. Đào tạo chuyển giao kỹ thuật khám bệnh, chữa bệnh từ xa',
      'Nơi nhận:',
      '- Cục CNTT, Bộ Y tế;',
      'THỦ TRƯỞNG'
    ]) {
      expect(text, words).toContain(words);
    }
    expect(activityPdfFileName('Trạm Y tế xã Y Tý', 2026)).toBe('bao-cao-y-te-tu-xa-Tram-Y-te-xa-Y-Ty-2026.pdf');
  });
});
