// What the national prescription system receives for one issued prescription (M10): the prescription and its patient
// in the shape of the public connection guide of the national prescription system (QĐ 808/QĐ-BYT; field names in
// Vietnamese snake_case as the guide has them). Kept in this one place so that a change of the guide is one change.
// Pure: a function of the prescription's fields, the chart's patient and the unit.
import { patterns, vietnamDate, vietnamParts, type Fields } from '@telehealth/domain';

export type NationalDrug = {
  ma_thuoc: string;
  ten_thuoc: string;
  biet_duoc: string;
  don_vi_tinh: string;
  so_luong: number;
  cach_dung: string;
};

export type NationalPrescription = {
  /** The facility's interconnection code (its 5-character code, the first part of every prescription code). */
  ma_lien_thong_co_so_kham_chua_benh: string;
  /** c, n, h, y. */
  loai_don_thuoc: string;
  ma_don_thuoc: string;
  ho_ten_benh_nhan: string;
  /** dd/mm/yyyy. */
  ngay_sinh_benh_nhan: string;
  /** 1 nam, 2 nữ. */
  gioi_tinh: number;
  ma_so_the_bao_hiem_y_te: string;
  ma_dinh_danh_cong_dan: string;
  dia_chi: string;
  chan_doan: { ma_chan_doan: string; ten_chan_doan: string; ket_luan: string }[];
  thong_tin_don_thuoc: NationalDrug[];
  loi_dan: string;
  /** dd/mm/yyyy, or empty. */
  ngay_tai_kham: string;
  /** yyyy-mm-dd hh:mm:ss in Vietnam's time. */
  ngay_gio_ke_don: string;
  ho_ten_bac_si: string;
  /** The prescription this one replaces, if any (its code). */
  ma_don_thuoc_thay_the: string;
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const pad = (n: number) => String(n).padStart(2, '0');

/** "yyyy-mm-dd hh:mm:ss" in Vietnam's time (the offset is whole hours: the seconds are the instant's). */
function vietnamDateTime(iso: string): string {
  const p = vietnamParts(iso);
  return `${vietnamDate(iso)} ${pad(p.hour)}:${pad(p.minute)}:${pad(new Date(iso).getUTCSeconds())}`;
}
const dmyOfDate = (date: string) => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}` : '');

export function nationalPrescription(rx: Fields, patient: Fields, facilityCode: string, replacesCode = ''): NationalPrescription {
  const icds = Array.isArray(rx.icds) ? rx.icds.filter((c): c is string => typeof c === 'string' && patterns.icd10.test(c)) : [];
  const items = Array.isArray(rx.items) ? (rx.items as Fields[]) : [];
  return {
    ma_lien_thong_co_so_kham_chua_benh: facilityCode,
    loai_don_thuoc: str(rx.type),
    ma_don_thuoc: str(rx.code),
    ho_ten_benh_nhan: str(patient.fullName),
    ngay_sinh_benh_nhan: dmyOfDate(str(patient.dateOfBirth)),
    gioi_tinh: patient.gender === 'male' ? 1 : patient.gender === 'female' ? 2 : 0,
    ma_so_the_bao_hiem_y_te: str(patient.insuranceNumber),
    ma_dinh_danh_cong_dan: str(patient.personalId),
    dia_chi: str(patient.address),
    chan_doan: (icds.length ? icds : ['']).map((code, i) => ({ ma_chan_doan: code, ten_chan_doan: i === 0 ? str(rx.diagnosis) : '', ket_luan: i === 0 ? str(rx.diagnosis) : '' })),
    thong_tin_don_thuoc: items.map((item) => ({
      ma_thuoc: str(item.drugCode),
      ten_thuoc: [str(item.drugName), str(item.strength)].filter(Boolean).join(' '),
      biet_duoc: '',
      don_vi_tinh: str(item.unit),
      so_luong: typeof item.quantity === 'number' ? item.quantity : 0,
      cach_dung: [str(item.route), str(item.usage), typeof item.days === 'number' ? `${item.days} ngày` : ''].filter(Boolean).join('. ')
    })),
    loi_dan: str(rx.advice),
    ngay_tai_kham: str(rx.followUpAt) ? dmyOfDate(vietnamDate(str(rx.followUpAt))) : '',
    ngay_gio_ke_don: str(rx.issuedAt) ? vietnamDateTime(str(rx.issuedAt)) : '',
    ho_ten_bac_si: str(rx.prescriberName),
    ma_don_thuoc_thay_the: replacesCode
  };
}

/** A field the national system refuses, with why (Vietnamese, as the system answers). */
export type FieldError = { field: string; message: string };

/**
 * What the national system checks before it accepts a prescription (as the connection guide lists the required
 * fields): the stand-in answers with these, and the real system with its own.
 */
export function nationalProblems(p: NationalPrescription): FieldError[] {
  const errors: FieldError[] = [];
  const need = (field: string, ok: boolean, message: string) => {
    if (!ok) errors.push({ field, message });
  };
  need('ma_lien_thong_co_so_kham_chua_benh', patterns.facilityCode.test(p.ma_lien_thong_co_so_kham_chua_benh), 'Mã liên thông cơ sở không hợp lệ');
  need('ma_don_thuoc', /^[0-9A-Z]{5}[0-9a-z]{7}-[cnhy]$/.test(p.ma_don_thuoc) && p.ma_don_thuoc.startsWith(p.ma_lien_thong_co_so_kham_chua_benh), 'Mã đơn thuốc không hợp lệ');
  need('loai_don_thuoc', ['c', 'n', 'h', 'y'].includes(p.loai_don_thuoc) && p.ma_don_thuoc.endsWith(`-${p.loai_don_thuoc}`), 'Loại đơn thuốc không hợp lệ');
  need('ho_ten_benh_nhan', p.ho_ten_benh_nhan.trim() !== '', 'Thiếu họ tên bệnh nhân');
  need('ngay_sinh_benh_nhan', /^\d{2}\/\d{2}\/\d{4}$/.test(p.ngay_sinh_benh_nhan), 'Thiếu hoặc sai ngày sinh bệnh nhân');
  need('gioi_tinh', p.gioi_tinh === 1 || p.gioi_tinh === 2, 'Thiếu giới tính');
  need('chan_doan', p.chan_doan.some((c) => c.ket_luan.trim() !== ''), 'Thiếu chẩn đoán');
  need('thong_tin_don_thuoc', p.thong_tin_don_thuoc.length > 0, 'Đơn thuốc không có thuốc');
  p.thong_tin_don_thuoc.forEach((d, i) => {
    need(`thong_tin_don_thuoc[${i}].ten_thuoc`, d.ten_thuoc.trim() !== '', 'Thiếu tên thuốc');
    need(`thong_tin_don_thuoc[${i}].so_luong`, d.so_luong > 0, 'Số lượng phải lớn hơn 0');
    need(`thong_tin_don_thuoc[${i}].cach_dung`, d.cach_dung.trim() !== '', 'Thiếu cách dùng');
  });
  need('ngay_gio_ke_don', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(p.ngay_gio_ke_don), 'Thiếu ngày giờ kê đơn');
  need('ho_ten_bac_si', p.ho_ten_bac_si.trim() !== '', 'Thiếu họ tên bác sĩ');
  return errors;
}
