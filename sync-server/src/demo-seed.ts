// The demo: one province, two commune stations, one upper-level centre and one account per role.
import { Role, UnitKind } from '@telehealth/domain';
import type { Storage, UnitRow } from './storage/storage';
import { hashPassword, type ScryptCost } from './auth/passwords';

// Facility codes (Mã cơ sở y tế, MA_CSKCB: 5 characters, the province's two digits first) are made up for the demo in
// that shape; a real deployment enters the codes the social-insurance agency issued. The Sở Y tế treats no one: none.
// The phone lines (Lào Cai's area code 0214) are made up too: a call's last rung offers them as tel: links.
export const demoUnits: readonly UnitRow[] = [
  { id: 'syt-15', kind: UnitKind.department, name: 'Sở Y tế tỉnh Lào Cai', provinceCode: '15', communeCode: null, parentId: null, facilityCode: null },
  { id: 'ttyt-bat-xat', kind: UnitKind.centre, name: 'Trung tâm Y tế khu vực Bát Xát', provinceCode: '15', communeCode: '02683', parentId: 'syt-15', facilityCode: '15010', phone: '02143883115' },
  { id: 'tyt-02701', kind: UnitKind.station, name: 'Trạm Y tế xã Y Tý', provinceCode: '15', communeCode: '02701', parentId: 'ttyt-bat-xat', facilityCode: '15122', phone: '02143880701' },
  { id: 'tyt-02686', kind: UnitKind.station, name: 'Trạm Y tế xã A Mú Sung', provinceCode: '15', communeCode: '02686', parentId: 'ttyt-bat-xat', facilityCode: '15115', phone: '02143880686' }
];

export type DemoLogin = { username: string; password: string; role: Role; displayName: string; unitId: string | null };

export const demoLogins: readonly DemoLogin[] = [
  { username: 'tram.yty', password: 'yty-demo-2025', role: Role.stationWorker, displayName: 'Lý Thị Mai (CBYT Trạm Y tế xã Y Tý)', unitId: 'tyt-02701' },
  { username: 'tram.amusung', password: 'amusung-demo-2025', role: Role.stationWorker, displayName: 'Vàng A Sử (CBYT Trạm Y tế xã A Mú Sung)', unitId: 'tyt-02686' },
  { username: 'bacsi.batxat', password: 'batxat-demo-2025', role: Role.doctor, displayName: 'BS. Nguyễn Văn Hùng (TTYT khu vực Bát Xát)', unitId: 'ttyt-bat-xat' },
  { username: '0912345678', password: 'benhnhan-demo-2025', role: Role.patient, displayName: 'Hầu Thị Dua', unitId: 'tyt-02701' },
  { username: 'admin', password: 'admin-demo-2025', role: Role.admin, displayName: 'Quản trị Sở Y tế Lào Cai', unitId: 'syt-15' }
];

/** Seeds the demo once: does nothing when any account exists. Returns whether it seeded. */
export async function seedDemo(storage: Storage, cost?: ScryptCost): Promise<boolean> {
  if ((await storage.countUsers()) > 0) return false;
  for (const unit of demoUnits) await storage.upsertUnit(unit);
  await storage.linkUnits('tyt-02701', 'ttyt-bat-xat');
  await storage.linkUnits('tyt-02686', 'ttyt-bat-xat');
  for (const login of demoLogins) {
    await storage.createUser({
      id: `user-${login.username}`,
      username: login.username,
      displayName: login.displayName,
      role: login.role,
      unitId: login.unitId,
      patientId: login.role === Role.patient ? 'patient-demo-0001' : null,
      passwordHash: await hashPassword(login.password, cost)
    });
  }
  return true;
}
