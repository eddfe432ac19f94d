// The reference commune, generated from a seed: 5,000 patients and 20,000 teleconsultation forms with
// Vietnamese content as a mountain commune station records it.
import { Gender, Handling, seededRandom } from '@telehealth/domain';

const families = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vàng', 'Giàng', 'Sùng', 'Lò', 'Hà', 'Lường', 'Thào', 'Lý', 'Hầu', 'Tẩn', 'Chảo', 'Phàn', 'Ma', 'Vừ', 'Mùa'];
const middles = ['Văn', 'Thị', 'A', 'Seo', 'Thị Mỷ', 'Đức', 'Láo', 'Chín', 'Mí', 'Quang', 'Xuân', 'Minh'];
const givens = ['Páo', 'Mai', 'Sính', 'Dế', 'Chứ', 'Lan', 'Hùng', 'Dính', 'Mỷ', 'Sử', 'Tâm', 'Hoa', 'Dua', 'Pử', 'Súa', 'Chài', 'Dìn', 'Lả', 'Phủ', 'Vư', 'Thắng', 'Hương', 'Nga', 'Tú', 'Sang', 'Lìu'];
const villages = ['Phìn Ngan', 'Sín Chải', 'Lao Chải', 'Tả Van', 'Nậm Cang', 'Cốc Ly', 'Ngải Thầu', 'Mò Phú Chải', 'Lũng Pô', 'Trịnh Tường', 'Y Tý', 'Choản Thền', 'Phin Chải', 'Sàng Ma Sáo', 'Nhìu Cồ San'];
const occupations = ['Làm ruộng', 'Làm nương', 'Học sinh', 'Nội trợ', 'Chăn nuôi', 'Buôn bán nhỏ', 'Cán bộ xã', 'Giáo viên', 'Làm thuê', 'Hưu trí', 'Trẻ em'];
const ethnic = ['01', '08', '06', '02', '03', '25', '07', '05'];
const symptoms = [
  'Sốt cao {n} ngày, ho khan, đau họng', 'Đau bụng vùng thượng vị, buồn nôn sau ăn', 'Tiêu chảy {n} lần/ngày, mệt mỏi, khát nước',
  'Khám thai định kỳ tuần {w}', 'Tăng huyết áp tái khám, đau đầu nhẹ vùng chẩm', 'Vết thương phần mềm cẳng chân do ngã khi đi nương',
  'Ho có đờm {n} ngày, sốt nhẹ về chiều', 'Đau khớp gối hai bên, đi lại khó khăn', 'Ngứa, nổi mẩn đỏ vùng cánh tay {n} ngày',
  'Chóng mặt, hoa mắt khi đứng dậy', 'Trẻ quấy khóc, bú kém, sốt {t} độ', 'Đau răng hàm dưới bên phải, sưng má'
];
const histories = ['Không có tiền sử bệnh đặc biệt', 'Tăng huyết áp {n} năm, điều trị không đều', 'Đái tháo đường type 2, dùng Metformin', 'Viêm dạ dày cũ', 'Hen phế quản từ nhỏ', 'Đã mổ ruột thừa năm {y}', 'Lao phổi đã điều trị khỏi năm {y}'];
const diagnoses: [string, string][] = [
  ['J06.9', 'Viêm đường hô hấp trên cấp'], ['K29.7', 'Viêm dạ dày'], ['A09', 'Tiêu chảy và viêm dạ dày ruột'], ['Z34.0', 'Theo dõi thai bình thường lần đầu'],
  ['I10', 'Tăng huyết áp vô căn'], ['S81.8', 'Vết thương hở cẳng chân'], ['J18.9', 'Viêm phổi'], ['B54', 'Sốt rét'], ['M17.0', 'Thoái hóa khớp gối hai bên'],
  ['L30.9', 'Viêm da'], ['K02.1', 'Sâu răng'], ['E11.9', 'Đái tháo đường type 2'], ['J45.9', 'Hen phế quản']
];
const treatments = ['Điều trị ngoại trú, hẹn tái khám sau {n} ngày', 'Paracetamol 500mg x {n} viên, uống khi sốt trên 38,5 độ', 'Oresol pha đúng cách, uống nhiều lần trong ngày', 'Amlodipin 5mg x 1 viên/ngày, theo dõi huyết áp', 'Rửa vết thương, băng vô khuẩn, tiêm phòng uốn ván', 'Amoxicillin 500mg x {n} viên, chia 2 lần/ngày'];
const advices = ['Nghỉ ngơi, ăn uống đủ chất, uống nhiều nước ấm', 'Hạn chế ăn mặn, không uống rượu, tập thể dục nhẹ', 'Giữ vệ sinh vết thương, quay lại trạm nếu sưng đỏ, chảy mủ', 'Đến trạm ngay nếu sốt cao không hạ, co giật, khó thở', 'Khám thai đủ lần, uống viên sắt hằng ngày, sinh tại cơ sở y tế', 'Ngủ màn, phát quang bụi rậm quanh nhà'];

export type Commune = { patients: Record<string, unknown>[]; forms: Record<string, unknown>[]; requests: Record<string, unknown>[] };

export function generateCommune(seed = 20_261_122, patientCount = 5_000, formCount = 20_000, unitId = 'tyt-02701'): Commune {
  const rnd = seededRandom(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const fill = (s: string) => s.replace('{n}', String(int(2, 7))).replace('{w}', String(int(8, 38))).replace('{t}', String(int(38, 40))).replace('{y}', String(int(1995, 2022)));
  const id = (prefix: string) => `${prefix}${Math.floor(rnd() * 2 ** 48).toString(36)}${Math.floor(rnd() * 2 ** 20).toString(36)}`;
  const iso = (from: number, spanDays: number) => new Date(from + Math.floor(rnd() * spanDays * 86_400_000)).toISOString();
  const staff = ['user-tram.yty', 'user-yty-2', 'user-yty-3'];

  const patients = Array.from({ length: patientCount }, () => {
    const gender = rnd() < 0.52 ? Gender.female : Gender.male;
    const p: Record<string, unknown> = {
      id: id('p'),
      unitId,
      fullName: `${pick(families)} ${gender === Gender.female && rnd() < 0.6 ? 'Thị' : pick(middles)} ${pick(givens)}`,
      gender,
      dateOfBirth: `${int(1935, 2024)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
      occupation: pick(occupations),
      ethnicityCode: pick(ethnic),
      provinceCode: '15',
      communeCode: '02701',
      address: `Thôn ${pick(villages)}`,
      createdAt: iso(Date.parse('2024-01-01'), 700),
      createdBy: pick(staff)
    };
    if (rnd() < 0.8) p.insuranceNumber = String(int(1_000_000_000, 9_999_999_999));
    if (rnd() < 0.7) p.personalId = `0${String(int(10, 99))}${String(int(100_000_000, 999_999_999))}`;
    if (rnd() < 0.6) p.phone = `09${String(int(10_000_000, 99_999_999))}`;
    return p;
  });
  const forms = Array.from({ length: formCount }, () => {
    const [icd, diagnosis] = pick(diagnoses);
    // Fields a station fills on most visits; the rest of appendix 3 stays empty in the reference set.
    const f: Record<string, unknown> = {
      id: id('f'),
      patientId: pick(patients).id,
      visitType: rnd() < 0.4 ? 'first' : 'follow_up',
      consent: true,
      handlingDoctorName: pick(['Lý Thị Mai', 'Vàng Văn Sáng', 'Hà Thị Thu']),
      history: fill(pick(histories)),
      pulse: int(60, 110),
      temperatureC: int(360, 395) / 10,
      bpSystolic: int(95, 165),
      bpDiastolic: int(60, 100),
      weightKg: int(80, 750) / 10,
      symptoms: fill(pick(symptoms)),
      diagnosis,
      mainIcd: icd,
      treatmentMethod: fill(pick(treatments)),
      handling: rnd() < 0.8 ? Handling.homeOrStation : rnd() < 0.5 ? Handling.teleconsultation : Handling.referUp,
      advice: pick(advices),
      createdAt: iso(Date.parse('2024-01-01'), 700),
      createdBy: pick(staff)
    };
    if (rnd() < 0.3) f.secondaryIcds = [pick(diagnoses)[0]];
    if (rnd() < 0.4) f.nextAppointmentAt = iso(Date.parse('2026-01-01'), 300);
    return f;
  });
  const requests = Array.from({ length: 20 }, (_, i) => {
    const f = forms[i * 37]!;
    return {
      id: id('r'),
      patientId: f.patientId,
      fromUnitId: unitId,
      toUnitId: 'ttyt-bat-xat',
      formId: f.id,
      requestingDoctorName: 'Lý Thị Mai',
      currentDiagnosis: f.diagnosis,
      requestContent: 'Xin hội chẩn: ' + String(f.symptoms),
      createdAt: f.createdAt,
      createdBy: 'user-tram.yty'
    };
  });
  return { patients, forms, requests };
}
