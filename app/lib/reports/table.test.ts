import { describe, expect, it } from 'vitest';
import { computeReport, type Report } from '@telehealth/domain';
import readExcelFile from 'read-excel-file/node';
import { reportCsv, reportFileName, reportTotals, toCsv, type ReportNames } from './table';
import { reportXlsx, reportXlsxFileName } from './xlsx';
import { reportPdf, reportPdfFileName } from './report-pdf';
import { readPdf, shippedFonts } from '../pdf/read-back.testing';

const names: ReportNames = {
  province: (c) => ({ '15': 'Lào Cai' })[c],
  district: (c) => ({ '082': 'Huyện Bát Xát' })[c],
  commune: (c) => ({ '02701': 'Xã Y Tý' })[c],
  unit: (id) => ({ 'tyt-02701': 'Trạm Y tế xã Y Tý, "Bát Xát"' })[id],
  ethnicity: (c) => ({ '02': 'Tày' })[c]
};

describe('CSV', () => {
  it('starts with a BOM, ends lines with CRLF, and quotes a field with a comma, a quote or a line break', () => {
    expect(toCsv([['a', 'b,c'], ['say "hi"', 'two\nlines']])).toBe('\uFEFFa,"b,c"\r\n"say ""hi""","two\nlines"\r\n');
  });

  it('never lets a spreadsheet run a text field as a formula, and keeps negative numbers', () => {
    expect(toCsv([['=1+1', '@x', '+84', '-3']])).toBe("\uFEFF'=1+1,'@x,'+84,-3\r\n");
  });

  it('writes a report with the seed’s Vietnamese headers, STT, names for codes and an empty cell for what is not recorded', () => {
    const report: Report = computeReport(
      '5c',
      {
        units: [{ id: 'tyt-02701', provinceCode: '15', communeCode: '02701', oldDistrictCode: '082' }],
        patients: [],
        forms: [],
        calls: [],
        appointments: [
          { id: 'a1', unitId: 'tyt-02701', patientId: 'p', status: 'done', patientGender: 'female', createdAt: null, visitAt: '2025-06-10T02:00:00.000Z', bookedByCitizen: true, handlings: [] }
        ]
      },
      { from: '2025-06-01', to: '2025-06-30' }
    );
    const lines = reportCsv(report, names).slice(1).split('\r\n');
    expect(lines[0]).toBe('STT,"Tỉnh, thành phố",Quận huyện,"Xã, phường",Tên đơn vị,Giới tính,Tổng số lịch hẹn khám,Số cuộc hẹn chưa xử lý,Số cuộc hẹn đã khám,Số cuộc hẹn chờ khám,Số cuộc hẹn hủy');
    expect(lines[1]).toBe('1,Lào Cai,Huyện Bát Xát,Xã Y Tý,"Trạm Y tế xã Y Tý, ""Bát Xát""",Nữ,1,0,1,0,0');
    expect(reportFileName(report)).toBe('bao-cao-5c_2025-06-01_2025-06-30.csv');
    expect(reportTotals(report).map((x) => x.total)).toEqual([1, 0, 1, 0, 0]);
    expect(reportTotals(report)[0]!.label).toBe('Tổng số lịch hẹn khám');

    const device = computeReport('5a', { units: [], patients: [], forms: [{ patientId: 'p', unitId: 'u', completedAt: '2025-07-10T02:00:00.000Z' }], calls: [], appointments: [] }, { from: '2025-07-01', to: '2025-07-31' });
    const [header, row] = reportCsv(device, names).slice(1).split('\r\n');
    expect(header).toBe(
      'STT,Tỉnh/ thành phố,Quận/ huyện,Xã/ phường,Giới tính,Dân tộc,Số tài khoản người dân đã được tạo ra,Số người dân đã sử dụng phần mềm,Số người dân đã đặt lịch hẹn,"Số người dân được tư vấn, khám chữa bệnh từ xa"'
    );
    expect(row).toBe('1,,,,,,,,0,1');
    // The chart leaves out what the device cannot count (the accounts).
    expect(reportTotals(device).map((x) => x.total)).toEqual([0, 1]);
  });

  it('heads 5D’s columns with their group, incoming then outgoing', () => {
    const d = computeReport('5d', { units: [], patients: [], forms: [], calls: [], appointments: [] }, { from: '2025-07-01', to: '2025-07-31' });
    const header = reportCsv(d, names).slice(1).split('\r\n')[0]!;
    expect(header).toBe(
      'STT,"Tỉnh, thành phố",Quận huyện,"Xã, phường",Tên đơn vị,' +
        '"Số cuộc gọi đến – Tư vấn, KCB từ xa","Số cuộc gọi đến – Giao ban, họp định kỳ",Số cuộc gọi đến – Sinh hoạt chuyên môn,Số cuộc gọi đến – Khác,' +
        '"Số cuộc gọi đi – Tư vấn, KCB từ xa","Số cuộc gọi đi – Giao ban, họp định kỳ",Số cuộc gọi đi – Sinh hoạt chuyên môn,Số cuộc gọi đi – Khác'
    );
  });
});

describe('XLSX', () => {
  it('holds the same header and rows as the CSV, counts as numbers, an empty cell for what is not recorded, and no formula', async () => {
    const report = computeReport(
      '5c',
      {
        units: [{ id: 'tyt-02701', provinceCode: '15', communeCode: '02701', oldDistrictCode: '082' }],
        patients: [],
        forms: [],
        calls: [],
        appointments: [
          { id: 'a1', unitId: 'tyt-02701', patientId: 'p', status: 'done', patientGender: 'female', createdAt: null, visitAt: '2025-06-10T02:00:00.000Z', bookedByCitizen: true, handlings: [] },
          { id: 'a2', unitId: 'tyt-02701', patientId: 'q', status: 'cancelled', patientGender: 'female', createdAt: null, visitAt: '2025-06-11T02:00:00.000Z', bookedByCitizen: true, handlings: [] }
        ]
      },
      { from: '2025-06-01', to: '2025-06-30' }
    );
    const hostile = { ...names, unit: () => '=HYPERLINK("http://x")' };
    const blob = await reportXlsx(report, hostile);
    const [sheet] = await readExcelFile(Buffer.from(await blob.arrayBuffer()));
    expect(sheet!.sheet).toBe('Báo cáo 5C');
    const rows = sheet!.data;
    expect(rows[0]).toEqual(['STT', 'Tỉnh, thành phố', 'Quận huyện', 'Xã, phường', 'Tên đơn vị', 'Giới tính', 'Tổng số lịch hẹn khám', 'Số cuộc hẹn chưa xử lý', 'Số cuộc hẹn đã khám', 'Số cuộc hẹn chờ khám', 'Số cuộc hẹn hủy']);
    expect(rows[1]).toEqual([1, 'Lào Cai', 'Huyện Bát Xát', 'Xã Y Tý', '=HYPERLINK("http://x")', 'Nữ', 2, 0, 1, 0, 1]);
    // A text cell, never a formula: the XML holds it as an inline or shared string, not as <f>.
    const { unzipSync, strFromU8 } = await import('fflate');
    const xml = strFromU8(unzipSync(new Uint8Array(await blob.arrayBuffer()))['xl/worksheets/sheet1.xml']!);
    expect(xml).not.toContain('<f>');
    expect(reportXlsxFileName(report)).toBe('bao-cao-5c_2025-06-01_2025-06-30.xlsx');

    const accounts = computeReport('5a', { units: [], patients: [], forms: [{ patientId: 'p', unitId: 'u', completedAt: '2025-07-10T02:00:00.000Z' }], calls: [], appointments: [] }, { from: '2025-07-01', to: '2025-07-31' });
    const [a] = await readExcelFile(Buffer.from(await (await reportXlsx(accounts, names)).arrayBuffer()));
    expect(a!.data[1]).toEqual([1, null, null, null, null, null, null, null, 0, 1]);
  });
});

describe('PDF', () => {
  it('prints the table on A4 landscape with its title, period and filters, the header repeated on every page', async () => {
    const appointments = Array.from({ length: 60 }, (_, i) => ({
      id: `a${i}`, unitId: `tyt-${i}`, patientId: `p${i}`, status: 'done', patientGender: 'female', createdAt: null, visitAt: '2025-06-10T02:00:00.000Z', bookedByCitizen: true, handlings: []
    }));
    const units = appointments.map((a) => ({ id: a.unitId, provinceCode: '15', communeCode: '02701', oldDistrictCode: '082' }));
    const report = computeReport('5c', { units, patients: [], forms: [], calls: [], appointments }, { from: '2025-06-01', to: '2025-06-30', provinceCode: '15', gender: 'female' });
    const { bytes, unprintable } = await reportPdf(report, { ...names, unit: (id) => `Trạm Y tế ${id}` }, '2025-07-01T03:00:00.000Z', shippedFonts());
    expect(unprintable).toEqual([]);
    const { pages, text } = await readPdf(bytes);
    expect(pages.length).toBeGreaterThan(1);
    expect(text).toContain('Phụ lục 5C. BÁO CÁO THỐNG KÊ DỊCH VỤ');
    expect(text).toContain('Từ ngày 01/06/2025 đến ngày 30/06/2025 · Tỉnh/ thành phố: Lào Cai · Giới tính: Nữ');
    expect(text).toContain('Trạm Y tế tyt-59');
    // Every page with rows starts its table with the header.
    for (const page of pages.filter((p) => p.includes('Trạm Y tế'))) expect(page).toContain('STT Tỉnh, thành phố Quận huyện Xã, phường Tên đơn vị Giới tính');
    expect(text).toContain('Ngày in: 01/07/2025');
    expect(Buffer.from(bytes).toString('latin1')).toContain('/MediaBox [0 0 841.89 595.28]');
    expect(reportPdfFileName(report)).toBe('bao-cao-5c_2025-06-01_2025-06-30.pdf');
  });
});
