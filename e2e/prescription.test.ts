// Electronic prescriptions (M10, issue 11): at a walk-in visit the station prescribes from the form, offline; issuing
// draws the national code on the device (the station's facility code, 7 characters, the type); once the link is
// back the server takes it, and from then on the prescription is read-only; it prints as an A5 PDF with its code; a
// correction is a new prescription that replaces it, and "kê lại đơn cũ" repeats the drugs in one tap. The server
// sends it to the national prescription system (the stand-in) and the station's list shows it sent. The prescriber
// signs it with her certificate file (the same signing as the minutes').
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeTestP12 } from '../packages/signing/signing.testing';
import { goOffline, logIn, synced } from './helpers';

test('a station prescribes offline, issues with a national code, prints, corrects and repeats', async ({ browser }) => {
  test.setTimeout(180_000);
  const name = `Giàng Thị Sú ${String(Date.now()).slice(-5)}`;
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, acceptDownloads: true });
  const station = await context.newPage();
  // The deployment's administrator has imported a drug list (Administration → catalogs; its screen is tested in admin.test.ts).
  const adminLogin = await station.request.post('/api/auth/login', { data: { username: 'admin', password: 'admin-demo-2025' } });
  const { accessToken } = (await adminLogin.json()) as { accessToken: string };
  const imported = await station.request.post('/api/admin/catalogs/drugs?apply=1', {
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/csv' },
    data: 'MA_THUOC,TEN_HOAT_CHAT,TEN_THUOC,HAM_LUONG,DANG_BAO_CHE,DON_VI_TINH,DUONG_DUNG\n40.17,Amoxicilin,,500mg,Viên nang cứng,Viên,Uống\n40.48,Paracetamol,Panadol,500mg,Viên nén,Viên,Uống\n'
  });
  expect(imported.status()).toBe(200);
  await logIn(station, 'tram.yty', 'yty-demo-2025');
  await synced(station);

  // A walk-in visit of a new patient, and its form.
  await station.getByRole('link', { name: 'Người bệnh' }).first().click();
  await station.getByLabel('Họ tên người bệnh').fill(name);
  await station.getByLabel('Ngày sinh').fill('1979-03-08');
  await station.getByLabel('Giới tính').selectOption('female');
  await station.getByRole('button', { name: 'Lưu', exact: true }).click();
  await station.getByTestId('patient-list').getByRole('link', { name }).click();
  await station.getByTestId('walk-in').click();
  await expect(station.getByTestId('form-patient')).toHaveText(name);
  await synced(station);

  await station.getByTestId('prescribe').click();
  await expect(station.getByTestId('prescription')).toBeVisible();
  await expect(station.getByTestId('rx-patient')).toHaveText(name);
  const line = station.getByTestId('rx-line');
  await line.getByLabel('Tên thuốc (hoạt chất)').fill('Paracetamol');
  await line.getByLabel('Hàm lượng').fill('500 mg');
  await line.getByLabel('Đơn vị tính').fill('viên');
  await line.getByLabel('Số lượng').fill('10');
  await expect(station.getByTestId('rx-add')).toBeDisabled();
  await line.getByLabel('Cách dùng (liều, số lần, thời điểm)').fill('Uống 1 viên khi sốt trên 38,5 độ');
  await line.getByLabel('Số ngày dùng').fill('5');
  // A reload keeps the drug being typed.
  await station.reload();
  await expect(station.getByTestId('rx-line').getByLabel('Tên thuốc (hoạt chất)')).toHaveValue('Paracetamol');

  // Offline from here: the prescription is written and issued on the device alone.
  await goOffline(context, station);
  await station.getByTestId('rx-add').click();
  await expect(station.getByTestId('rx-items')).toContainText('Paracetamol 500 mg');

  // Without a diagnosis it is not issued, and says what is missing.
  await station.getByTestId('rx-issue').click();
  await expect(station.getByTestId('rx-problem')).toContainText('chẩn đoán');
  await station.getByLabel('Chẩn đoán').fill('Viêm họng cấp');
  await station.getByLabel('Chẩn đoán').blur();
  await station.getByTestId('rx-issue').click();
  const code = station.getByTestId('rx-code');
  await expect(code).toHaveText(/^15122[0-9a-z]{7}-c$/);
  const issuedCode = (await code.textContent())!;
  await expect(station.getByLabel('Chẩn đoán')).not.toBeEditable();
  await expect(station.getByTestId('rx-line')).toHaveCount(0);

  // Back online: the server takes it as it was issued (nothing refused).
  await context.setOffline(false);
  await synced(station);
  const issuedUrl = station.url();
  await station.goto('/settings');
  await expect(station.locator('#refused')).toBeVisible();
  await expect(station.getByTestId('refused-list')).toHaveCount(0);
  // The server sends it to the national prescription system (the local stand-in here): the station sees it sent.
  await station.goto('/prescriptions');
  await expect(station.getByTestId('rxn-item').filter({ hasText: issuedCode })).toHaveAttribute('data-state', 'sent', { timeout: 30_000 });
  await expect(station.getByTestId('rxn-item').filter({ hasText: issuedCode })).toContainText(name);
  await station.goto(issuedUrl);
  await expect(station.getByTestId('rx-code')).toHaveText(issuedCode);

  // Printed on A5 with its code.
  const [download] = await Promise.all([station.waitForEvent('download'), station.getByTestId('rx-print').click()]);
  expect(download.suggestedFilename()).toBe(`don-thuoc-${issuedCode}.pdf`);
  const pdf = readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 419.53 595.28]');

  // Signed by its prescriber with her certificate file: the signature is listed and checks as intact.
  const dir = mkdtempSync(path.join(tmpdir(), 'e2e-rx-sign-'));
  const p12 = makeTestP12('Lò Thị Hoa', 'Mat-khau-2026');
  writeFileSync(path.join(dir, 'hoa.p12'), p12.file);
  await station.getByTestId('sign-file').setInputFiles(path.join(dir, 'hoa.p12'));
  await station.getByTestId('signing').getByLabel('Mật khẩu tệp chữ ký số').fill(p12.password);
  await station.getByTestId('sign-record').click();
  await expect(station.getByTestId('signatures')).toContainText('Lò Thị Hoa — Người kê đơn', { timeout: 60_000 });
  await station.getByTestId('verify-signatures').click();
  await expect(station.getByTestId('signature-check')).toContainText('chữ ký hợp lệ, tài liệu nguyên vẹn', { timeout: 30_000 });

  // A correction: a new draft with the same drugs, naming the old one, which says it was replaced.
  await station.getByTestId('rx-correct').click();
  await expect(station.getByTestId('rx-replaces')).toContainText(issuedCode);
  await expect(station.getByTestId('rx-items')).toContainText('Paracetamol 500 mg');
  await station.goto(issuedUrl);
  await expect(station.getByTestId('rx-replaced')).toBeVisible();
  await expect(station.getByTestId('rx-correct')).toHaveCount(0);

  // At the next visit, "kê lại đơn cũ" repeats the last issued prescription's drugs.
  await station.getByRole('link', { name: 'Về hồ sơ người bệnh' }).click();
  await station.getByTestId('timeline').getByRole('link', { name: 'Phiếu tư vấn khám, chữa bệnh từ xa' }).first().click();
  await station.getByTestId('prescribe').click();
  await expect(station.getByTestId('rx-items')).not.toContainText('Paracetamol');
  await station.getByTestId('rx-repeat').click();
  await expect(station.getByTestId('rx-items')).toContainText('Paracetamol 500 mg');
  // A drug prescribed before is offered by name: picking it fills the rest of the line.
  await station.getByTestId('rx-line').getByLabel('Tên thuốc (hoạt chất)').fill('Paracetamol 500 mg');
  await expect(station.getByTestId('rx-line').getByLabel('Đơn vị tính')).toHaveValue('viên');
  await expect(station.getByTestId('rx-line').getByLabel('Cách dùng (liều, số lần, thời điểm)')).toHaveValue('Uống 1 viên khi sốt trên 38,5 độ');
  await expect(station.getByTestId('rx-line').getByLabel('Tên thuốc (hoạt chất)')).toHaveValue('Paracetamol');
  // A drug of the imported list is found by the start of its name: picking it fills the line.
  await station.getByTestId('rx-line').getByLabel('Tên thuốc (hoạt chất)').fill('amox');
  await expect(station.locator('#rx-known-drugs option[value="Amoxicilin 500mg (Viên nang cứng)"]')).toHaveCount(1);
  await station.getByTestId('rx-line').getByLabel('Tên thuốc (hoạt chất)').fill('Amoxicilin 500mg (Viên nang cứng)');
  await expect(station.getByTestId('rx-line').getByLabel('Đơn vị tính')).toHaveValue('Viên');
  await expect(station.getByTestId('rx-line').getByLabel('Đường dùng')).toHaveValue('Uống');
  await synced(station);
  await context.close();
});
