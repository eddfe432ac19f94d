// Administration as the province's IT focal point does it: a new station is opened, a health worker gets an
// account at it and signs in; a wrong entry is refused with the reason; a locked account cannot sign in.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('the administrator opens a station, gives a health worker an account there, and can lock it', async ({ browser }) => {
  const pc = await browser.newContext();
  const page = await pc.newPage();
  await logIn(page, 'admin', 'admin-demo-2025');
  await page.getByTestId('admin-link').click();
  await expect(page.getByRole('heading', { name: 'Quản trị tài khoản và đơn vị' })).toBeVisible();
  await expect(page.getByTestId('account').filter({ hasText: 'tram.yty' })).toBeVisible();

  // A new station in Bản Xèo commune, below the Bát Xát centre, sending its requests there.
  const unitForm = page.getByTestId('unit-form');
  await unitForm.getByLabel('Mã đơn vị trong hệ thống').fill('tyt-02725');
  await unitForm.getByLabel('Tên đơn vị').fill('Trạm Y tế xã Bản Xèo');
  await unitForm.getByLabel('Tỉnh/thành phố').selectOption('15');
  await unitForm.getByLabel('Xã/phường').selectOption({ label: 'Xã Bản Xèo' });
  await unitForm.getByLabel('Đơn vị quản lý trực tiếp').selectOption({ label: 'Trung tâm Y tế khu vực Bát Xát' });
  await unitForm.getByLabel('Mã cơ sở KCB').fill('15128');
  await unitForm.getByLabel('Số điện thoại của đơn vị').fill('02143880725');
  await unitForm.getByLabel('Trung tâm Y tế khu vực Bát Xát').check();
  await unitForm.getByRole('button', { name: 'Lưu đơn vị' }).click();
  await expect(page.getByTestId('admin-done')).toHaveText('Đã lưu đơn vị Trạm Y tế xã Bản Xèo.');
  await expect(page.getByTestId('unit').filter({ hasText: 'tyt-02725' })).toContainText('Gửi yêu cầu hội chẩn tới: Trung tâm Y tế khu vực Bát Xát');

  // A health worker's account there; a weak password is explained before anything is sent.
  const form = page.getByTestId('new-account');
  await form.getByLabel('Tên đăng nhập').fill('tram.banxeo');
  await form.getByLabel('Họ và tên').fill('Lù Thị Hoa');
  await form.getByLabel('Vai trò').selectOption({ label: 'Cán bộ y tế trạm y tế xã' });
  await form.getByLabel('Đơn vị').selectOption({ label: 'Trạm Y tế xã Bản Xèo' });
  // Her professional profile: what the minutes, the reports and the yearly report read.
  await form.getByText('Hồ sơ chuyên môn (giới tính, trình độ, chứng chỉ hành nghề)').click();
  await form.getByLabel('Số chứng chỉ hành nghề').fill('000456/LC-CCHN');
  await form.getByLabel('Phạm vi hoạt động chuyên môn').fill('Y sĩ đa khoa');
  await form.getByLabel('Mật khẩu ban đầu').fill('12345678');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await expect(form.locator('[aria-invalid="true"]')).toHaveCount(1);
  await form.getByLabel('Mật khẩu ban đầu').fill('Ban-Xeo-2026');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await expect(page.getByTestId('admin-done')).toHaveText('Đã tạo tài khoản cho Lù Thị Hoa.');
  // Kept by the server: the account's edit form shows it.
  const hoaCard = page.getByTestId('account').filter({ hasText: 'tram.banxeo' });
  await hoaCard.getByTestId('edit-account').click();
  await hoaCard.getByText('Hồ sơ chuyên môn (giới tính, trình độ, chứng chỉ hành nghề)').click();
  await expect(hoaCard.getByLabel('Số chứng chỉ hành nghề')).toHaveValue('000456/LC-CCHN');
  await hoaCard.getByRole('button', { name: 'Huỷ' }).click();
  // The same username again: the server's reason, in Vietnamese.
  await form.getByLabel('Tên đăng nhập').fill('tram.banxeo');
  await form.getByLabel('Họ và tên').fill('Người khác');
  await form.getByLabel('Mật khẩu ban đầu').fill('Nguoi-khac-2026');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await expect(page.getByTestId('admin-refused')).toContainText('Tên đăng nhập này đã có người dùng.');

  // She signs in on her own device and is at her station.
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const hoa = await phone.newPage();
  await logIn(hoa, 'tram.banxeo', 'Ban-Xeo-2026');
  await expect(hoa.getByText('Cán bộ y tế trạm y tế xã — Trạm Y tế xã Bản Xèo')).toBeVisible();

  await expect(hoa.getByTestId('sync-state')).toContainText('Đã đồng bộ', { timeout: 20_000 });
  // She works: a patient registered at her station reaches the server (the audit trail shows her write, below).
  await hoa.getByRole('link', { name: 'Người bệnh' }).click();
  await hoa.getByLabel('Họ tên người bệnh').fill('Lù Văn Páo');
  await hoa.getByLabel('Ngày sinh').fill('1985-03-04');
  await hoa.getByLabel('Giới tính').selectOption('male');
  await hoa.getByRole('button', { name: 'Lưu' }).click();
  await expect(hoa.getByTestId('patient-list')).toContainText('Lù Văn Páo');
  await expect(hoa.getByTestId('sync-pending')).toHaveCount(0, { timeout: 20_000 });

  // Her phone is lost: the administrator revokes it, and the phone drops her data and says why.
  await page.reload();
  const phoneCard = page.getByTestId('device').filter({ hasText: 'tram.banxeo' });
  await phoneCard.getByTestId('revoke-device').click();
  await expect(phoneCard).toContainText('Thay đổi chưa gửi trên máy này sẽ mất.');
  await phoneCard.getByTestId('confirm-revoke').click();
  await expect(page.getByTestId('admin-done')).toHaveText('Đã thu hồi thiết bị của Lù Thị Hoa.');
  await expect(hoa.getByTestId('device-revoked')).toBeVisible({ timeout: 20_000 });
  expect(await hoa.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('telehealth.session')))).toEqual([]);

  // Locked: she can no longer sign in anywhere.
  const card = page.getByTestId('account').filter({ hasText: 'tram.banxeo' });
  await card.getByTestId('toggle-account').click();
  await expect(page.getByTestId('admin-done')).toHaveText('Đã khoá tài khoản của Lù Thị Hoa.');
  await expect(card.getByTestId('locked')).toBeVisible();
  const other = await browser.newContext();
  const again = await other.newPage();
  await again.goto('/login');
  await again.getByLabel('Tên đăng nhập hoặc số điện thoại').fill('tram.banxeo');
  await again.getByLabel('Mật khẩu').fill('Ban-Xeo-2026');
  await again.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(again.getByRole('alert')).toContainText('đã bị quản trị viên khoá');
  // The audit trail of her account: created, then locked, by the administrator.
  const audit = page.getByTestId('audit-form');
  await audit.getByLabel('Hồ sơ, tài khoản hoặc đơn vị').fill(`account:${await card.getAttribute('data-id')}`);
  await audit.getByRole('button', { name: 'Xem nhật ký' }).click();
  const rows = page.getByTestId('audit-trail').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Khoá tài khoản');
  await expect(rows.nth(1)).toContainText('Tạo tài khoản');
  await expect(rows.nth(1)).toContainText('Quản trị Sở Y tế Lào Cai');
  // What she did: her write of the new chart, from her device.
  await audit.getByLabel('Hồ sơ, tài khoản hoặc đơn vị').fill('');
  await audit.getByLabel('Người thực hiện').selectOption({ label: 'Lù Thị Hoa (tram.banxeo)' });
  await audit.getByRole('button', { name: 'Xem nhật ký' }).click();
  await expect(rows.filter({ hasText: 'Ghi thay đổi' }).filter({ hasText: 'patient:' }).first()).toBeVisible();
  // A new ICD-10 list is checked before it is imported: a file with a bad row is reported line by line, and the
  // import stays unavailable (applying a list is tested on the server: the other browser tests need the full list).
  const cut = readFileSync(new URL('../packages/catalogs/test-fixtures/icd10_tt06_cut.csv', import.meta.url), 'utf8').split('\n');
  const broken = [...cut.slice(0, 3), cut[3]!.replace('A00.1,A001', 'A00.1,A009'), ...cut.slice(4)].join('\n');
  await expect(page.getByTestId('catalog-info').filter({ hasText: 'ICD-10' })).toContainText('ICD-10: 15.844 mã');
  await expect(page.getByTestId('catalog-info').filter({ hasText: 'Danh mục thuốc' })).toContainText('chưa nhập');
  await page.getByTestId('catalog-file').setInputFiles({ name: 'icd10.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
  await page.getByTestId('catalog-check').click();
  await expect(page.getByTestId('catalog-report')).toHaveText('Đọc 289 dòng: 288 dòng hợp lệ, 1 dòng bị loại.');
  await expect(page.getByTestId('catalog-rejections')).toContainText('Dòng 4:');
  await expect(page.getByTestId('catalog-apply')).toBeDisabled();
  await page.screenshot({ path: 'e2e/screenshots/admin.png', fullPage: true });
  await pc.close();
  await phone.close();
  await other.close();
});

test("the administrator records a station's address and licence, assesses its telehealth level, writes its yearly report, and prints both", async ({ browser }) => {
  const pc = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const page = await pc.newPage();
  await logIn(page, 'admin', 'admin-demo-2025');
  await page.getByTestId('admin-link').click();
  const yty = page.getByTestId('unit').filter({ hasText: 'tyt-02701' });
  await yty.getByTestId('edit-unit').click();
  const unitForm = page.getByTestId('unit-form');
  await unitForm.getByLabel('Địa chỉ cơ sở y tế').fill('Thôn Hòa Sen, xã Y Tý, tỉnh Lào Cai');
  await unitForm.getByLabel('Giấy phép hoạt động').fill('123/LC-GPHĐ');
  await unitForm.getByRole('button', { name: 'Lưu đơn vị' }).click();
  await expect(page.getByTestId('admin-done')).toHaveText('Đã lưu đơn vị Trạm Y tế xã Y Tý.');

  await page.getByTestId('unit').filter({ hasText: 'tyt-02701' }).getByTestId('assess-unit').click();
  await expect(page.getByTestId('level-reached')).toHaveText('Chưa đạt mức độ 1');
  // The software criteria come from the product, the connection points from the directory: nothing to tick there.
  await expect(page.locator('[data-testid="criterion"][data-criterion="43"]')).toContainText('Phần mềm đáp ứng');
  await expect(page.locator('[data-testid="criterion"][data-criterion="61"]')).toContainText('Phần mềm đáp ứng');
  // Calls recorded with consent on the SFU (this server runs Janus): 49 met; HL7 FHIR with a HIS (52) met, with a
  // laboratory system (53) not yet.
  await expect(page.locator('[data-testid="criterion"][data-criterion="49"]')).toContainText('Phần mềm đáp ứng');
  await expect(page.locator('[data-testid="criterion"][data-criterion="52"]')).toContainText('Phần mềm đáp ứng');
  await expect(page.locator('[data-testid="criterion"][data-criterion="53"]')).toContainText('Phần mềm chưa có');
  // The report goes to the centre above the station unless the administrator says otherwise.
  await expect(page.getByLabel('Kính gửi (cơ quan quản lý cấp trên)')).toHaveValue('Trung tâm Y tế khu vực Bát Xát');
  for (const k of ['doctors', 'citizens', 'units']) await page.getByTestId(`phone-${k}`).check();
  await expect(page.getByTestId('level-reached')).toHaveText('Đạt mức độ 1');
  await expect(page.getByTestId('level-missing')).toContainText('2. Mạng nội bộ (LAN)');
  await page.locator('[data-criterion="2"]').getByRole('checkbox').check();
  await expect(page.getByTestId('level-missing')).not.toContainText('Mạng nội bộ');
  await page.getByLabel('Người đứng đầu cơ sở y tế').fill('Lò Thị Hoa');
  await page.getByTestId('level-save').click();
  await expect(page.getByTestId('level-saved')).toBeVisible();

  // Saved on the server: a reload shows the same answers and level.
  await page.reload();
  await expect(page.getByTestId('level-reached')).toHaveText('Đạt mức độ 1');
  await expect(page.locator('[data-criterion="2"]').getByRole('checkbox')).toBeChecked();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('level-print').click()]);
  expect(download.suggestedFilename()).toMatch(/^muc-do-y-te-tu-xa-Tram-Y-te-xa-Y-Ty-\d{4}\.pdf$/);
  const pdf = readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await page.screenshot({ path: 'e2e/screenshots/assessment.png' });
  // The year before is another assessment, not yet made.
  const year = Number(await page.getByTestId('level-year').inputValue());
  await page.getByTestId('level-year').selectOption(String(year - 1));
  await expect(page.getByTestId('level-reached')).toHaveText('Chưa đạt mức độ 1');
  await page.getByTestId('level-year').selectOption(String(year));
  await expect(page.getByTestId('level-reached')).toHaveText('Đạt mức độ 1');

  // The yearly activity report (circular 49 appendix II): prefilled from the records, edited, saved, printed.
  await page.getByRole('link', { name: '← Quản trị' }).click();
  await page.getByTestId('unit').filter({ hasText: 'tyt-02701' }).getByTestId('activity-unit').click();
  await expect(page.getByTestId('activity-state')).toContainText('Chưa lưu: đã điền sẵn từ hồ sơ');
  await expect(page.getByLabel('6. Nội dung hoạt động y tế từ xa')).toHaveValue(/^Năm \d{4}, đơn vị đã thực hiện: \d+ lượt tư vấn khám bệnh, chữa bệnh từ xa/);
  await expect(page.getByTestId('activity-participants').getByLabel('Họ và tên').first()).toHaveValue('Lý Thị Mai (CBYT Trạm Y tế xã Y Tý)');
  await page.getByLabel('Thủ trưởng (người ký)').fill('Lò Thị Hoa');
  await page.getByTestId('it-5').check();
  await page.getByTestId('activity-save').click();
  await expect(page.getByTestId('activity-saved')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('activity-state')).toHaveText('Báo cáo đã lưu của năm này.');
  await expect(page.getByTestId('it-5')).toBeChecked();
  await expect(page.getByLabel('Thủ trưởng (người ký)')).toHaveValue('Lò Thị Hoa');
  const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('activity-print').click()]);
  expect(report.suggestedFilename()).toMatch(/^bao-cao-y-te-tu-xa-Tram-Y-te-xa-Y-Ty-\d{4}\.pdf$/);
  expect(readFileSync((await report.path())!).subarray(0, 5).toString()).toBe('%PDF-');
  await page.screenshot({ path: 'e2e/screenshots/activity-report.png', fullPage: true });
  await pc.close();
});
