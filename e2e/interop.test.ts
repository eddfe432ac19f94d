// FHIR between two servers, as a station does it (M13, issue 13): on the first server a station sends a patient's
// case to the district doctor, who reviews it; the minutes get a conclusion; the station sees her (a visit with
// vital signs) and issues a prescription; the chart is exported as a FHIR file from its screen; on a second, empty
// server the same station imports the file from Settings and the chart reads the same (name, identifiers, the visit
// and its vital signs; the request, the review, the minutes and the prescription kept as they came, read-only); a
// bundle with mistakes is refused with them, and nothing of it appears. A reminder the station writes reaches the patient's phone, in the app and as a system notification, and
// once seen stays seen. The encrypted device backup is e2e/backup.test.ts (run with these by `npm run e2e:interop`).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../scripts/lib/postgres.mjs';
import { localInput, logIn, registerPatient, scheduledConsultation, synced } from './helpers';

const shots = 'e2e/screenshots';

/** A second server, empty but for the demo units and accounts, as `npm start` starts one. */
async function secondServer(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(path.join(tmpdir(), 'telehealth-interop-')), SEED_DEMO: 'true', PASSWORD_HASH_N: '1024', LOG_LEVEL: 'warn', SFU: 'off', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit']
  });
  const url = `http://127.0.0.1:${port}`;
  await expect
    .poll(
      async () => {
        if (child.exitCode !== null) throw new Error(`the second server exited with ${child.exitCode}`);
        return fetch(`${url}/healthz`).then((r) => r.status, () => 0);
      },
      { timeout: 60_000, intervals: [250] }
    )
    .toBe(200);
  return { url, stop: () => child.kill() };
}

test('a chart exported as FHIR from one server is imported into another and reads the same; a bad file is refused', async ({ browser }) => {
  test.setTimeout(240_000);
  const second = await secondServer();
  try {
    const a = await browser.newContext();
    const station = await a.newPage();
    const doctorContext = await browser.newContext();
    const doctor = await doctorContext.newPage();
    const name = 'Thào Thị Mỷ';
    // A consultation: the station's request, the district doctor's review, the minutes' conclusion.
    const requestUrl = await scheduledConsultation(station, doctor, { name, reason: 'Khó thở tái diễn, xin ý kiến điều trị.', review: 'Nghi hen phế quản, hội chẩn.' });
    await doctorContext.close();
    await station.goto(requestUrl);
    await station.getByTestId('open-minutes').click({ timeout: 30_000 });
    const conclusion = station.getByTestId('minutes-conclusion');
    await expect(conclusion).toBeEditable({ timeout: 20_000 });
    await conclusion.click();
    await conclusion.pressSequentially('Hen phế quản, điều trị tại trạm.');
    await synced(station);
    await station.getByRole('link', { name: 'Người bệnh' }).first().click();
    await station.getByTestId('patient-search').fill('thao thi my');
    await station.getByTestId('patient-list').getByRole('link', { name }).click();
    await station.getByRole('button', { name: 'Sửa thông tin hành chính' }).click();
    await station.getByLabel('Mã định danh cá nhân (CCCD)').fill('010190002141');
    await station.getByLabel('Mã định danh cá nhân (CCCD)').blur();
    // A walk-in visit: triage, identity and consent, the history and two vital signs.
    await station.getByTestId('walk-in').click();
    await station.getByTestId('triage-none').click();
    await station.getByLabel('Đã xác minh/cập nhật thông tin hành chính').check();
    await station.getByLabel('Tôi đồng ý tham gia tư vấn khám chữa bệnh từ xa.').check();
    await station.getByTestId('next-step').click();
    await station.getByLabel('Tiền sử bệnh').fill('Hen phế quản từ nhỏ.');
    await station.getByLabel('Mạch').fill('104');
    await station.getByLabel('Nhiệt độ').fill('38.6');
    await station.getByLabel('Nhiệt độ').blur();
    // …and an issued prescription.
    await station.getByTestId('prescribe').click();
    const line = station.getByTestId('rx-line');
    await line.getByLabel('Tên thuốc (hoạt chất)').fill('Salbutamol');
    await line.getByLabel('Hàm lượng').fill('2 mg');
    await line.getByLabel('Đơn vị tính').fill('viên');
    await line.getByLabel('Số lượng').fill('15');
    await line.getByLabel('Cách dùng (liều, số lần, thời điểm)').fill('Uống 1 viên x 3 lần/ngày');
    await line.getByLabel('Số ngày dùng').fill('5');
    await station.getByTestId('rx-add').click();
    await station.getByLabel('Chẩn đoán').fill('Hen phế quản');
    await station.getByLabel('Chẩn đoán').blur();
    await station.getByTestId('rx-issue').click();
    await expect(station.getByTestId('rx-code')).toHaveText(/^15122[0-9a-z]{7}-c$/);
    await synced(station);
    await station.getByRole('link', { name: 'Về hồ sơ người bệnh' }).click();
    await expect(station.getByTestId('chart-name')).toHaveText(name);

    const [download] = await Promise.all([station.waitForEvent('download'), station.getByTestId('chart-fhir').click()]);
    expect(download.suggestedFilename()).toMatch(/^fhir-.+\.json$/);
    const file = test.info().outputPath('chart.json');
    await download.saveAs(file);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { entry: { resource: Record<string, unknown> }[] };
    const types = bundle.entry.map((e) => e.resource.resourceType);
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'Observation', 'Consent', 'Composition', 'ServiceRequest', 'MedicationRequest']));
    expect(JSON.stringify(bundle)).toContain('"code":"8867-4"');

    // The second server: the same station's worker imports the file from Settings.
    const b = await browser.newContext({ baseURL: second.url });
    const other = await b.newPage();
    await logIn(other, 'tram.yty', 'yty-demo-2025');
    await synced(other);
    await other.getByRole('link', { name: 'Cài đặt' }).click();
    await expect(other.getByRole('heading', { name: 'Trao đổi dữ liệu FHIR' })).toBeVisible();

    // First a file with mistakes: refused whole, its problems listed.
    const broken = JSON.parse(JSON.stringify(bundle)) as typeof bundle;
    const patient = broken.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
    patient.gender = 'nữ';
    const badFile = test.info().outputPath('broken.json');
    writeFileSync(badFile, JSON.stringify(broken));
    await other.getByTestId('fhir-file').setInputFiles(badFile);
    await other.getByRole('button', { name: 'Nhập', exact: true }).click();
    await expect(other.getByTestId('fhir-refused')).toContainText('lỗi nên không nhập gì');
    await expect(other.getByTestId('fhir-refused')).toContainText('gender');
    await other.screenshot({ path: `${shots}/fhir-import-refused.png`, fullPage: true });
    await other.getByRole('link', { name: 'Người bệnh' }).first().click();
    await other.getByTestId('patient-search').fill('thao thi my');
    await expect(other.getByRole('link', { name })).toHaveCount(0);

    await other.getByRole('link', { name: 'Cài đặt' }).click();
    await other.getByTestId('fhir-file').setInputFiles(file);
    await other.getByRole('button', { name: 'Nhập', exact: true }).click();
    await expect(other.getByTestId('fhir-imported')).toContainText('Đã nhập: 1 người bệnh mới');
    await expect(other.getByTestId('fhir-imported')).toContainText('1 lượt khám mới');
    // The request, the minutes and the prescription: kept as they came.
    await expect(other.getByTestId('fhir-imported')).toContainText('3 hồ sơ khác');
    await other.screenshot({ path: `${shots}/fhir-import-done.png`, fullPage: true });

    // The chart on the second server reads the same: name, CCCD, the visit and its vital signs.
    await other.getByRole('link', { name: 'Người bệnh' }).first().click();
    await other.getByTestId('patient-search').fill('thao thi my');
    await other.getByTestId('patient-list').getByRole('link', { name }).click();
    await expect(other.getByTestId('chart-name')).toHaveText(name);
    // The request, the minutes and the prescription of the first server, read-only, as they came.
    const kept = other.getByTestId('external-records');
    await expect(kept.getByTestId('external-record')).toHaveCount(3);
    await expect(kept).toContainText('Khó thở tái diễn, xin ý kiến điều trị.');
    await expect(kept).toContainText('Nghi hen phế quản, hội chẩn.');
    await expect(kept).toContainText('Hen phế quản, điều trị tại trạm.');
    await expect(kept).toContainText('Salbutamol 2 mg');
    await expect(kept).toContainText('Uống 1 viên x 3 lần/ngày · 15 viên · 5 ngày');
    await kept.scrollIntoViewIfNeeded();
    await other.screenshot({ path: `${shots}/fhir-external-records.png`, fullPage: true });
    await other.getByRole('button', { name: 'Sửa thông tin hành chính' }).click();
    await expect(other.getByLabel('Mã định danh cá nhân (CCCD)')).toHaveValue('010190002141');
    await other.getByTestId('timeline').getByRole('link', { name: /Phiếu tư vấn/ }).first().click();
    await other.getByTestId('step-vitals').click();
    await expect(other.getByLabel('Mạch')).toHaveValue('104');
    await expect(other.getByLabel('Nhiệt độ')).toHaveValue(/^38[,.]6$/);
    await expect(other.getByLabel('Tiền sử bệnh')).toHaveValue('Hen phế quản từ nhỏ.');
    await a.close();
    await b.close();
  } finally {
    second.stop();
  }
});

test('a reminder the station writes reaches the patient’s phone, in the app and as a notification, once', async ({ browser }) => {
  test.setTimeout(120_000);
  const a = await browser.newContext();
  const station = await a.newPage();
  await logIn(station, 'tram.yty', 'yty-demo-2025');
  await synced(station);
  const name = 'Lò Thị Nhắc';
  await registerPatient(station, name, '1961-07-07');
  // Her account, made by the station (she has no smartphone skills yet).
  await station.getByTestId('citizen-start').click();
  await station.getByLabel('Số điện thoại đăng nhập').fill('0977555111');
  await station.getByLabel('Mật khẩu ban đầu').fill('nhac-thuoc-hang-ngay');
  await station.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await expect(station.getByTestId('citizen-created')).toBeVisible();
  // A reminder due now (this minute), by hand.
  await station.getByTestId('reminder-kind').selectOption('medication');
  await station.getByTestId('reminder-title').fill('Uống thuốc huyết áp buổi sáng');
  await station.getByLabel('Chi tiết').fill('Amlodipin 5 mg, 1 viên sau ăn');
  await station.getByTestId('reminder-due').fill(localInput(new Date()));
  await station.getByRole('button', { name: 'Lưu lời nhắc' }).click();
  await expect(station.getByTestId('reminders-outcome')).toHaveText('Đã thêm 1 lời nhắc.');
  await synced(station);

  // Her phone: 360×640, notifications allowed.
  const b = await browser.newContext({ viewport: { width: 360, height: 640 }, permissions: ['notifications'] });
  const phone = await b.newPage();
  await logIn(phone, '0977555111', 'nhac-thuoc-hang-ngay');
  await expect(phone.getByTestId('reminder-due')).toContainText('Uống thuốc huyết áp buổi sáng', { timeout: 30_000 });
  await expect(phone.getByTestId('reminder-due')).toContainText('Amlodipin 5 mg, 1 viên sau ăn');
  await expect
    .poll(() => phone.evaluate(async () => ((await navigator.serviceWorker.getRegistration())?.getNotifications() ?? Promise.resolve([])).then((n) => n.map((x) => x.title))), { timeout: 20_000 })
    .toContain('Uống thuốc huyết áp buổi sáng');
  await phone.screenshot({ path: `${shots}/reminder-phone.png`, fullPage: true });
  // Seen: it leaves the list, and a reload does not bring it (or its notification) back.
  await phone.getByTestId('reminder-due').getByRole('button', { name: 'Đã xem' }).click();
  await expect(phone.getByTestId('reminder-due')).toHaveCount(0);
  await phone.reload();
  await expect(phone.getByRole('heading', { name: 'Lời nhắc' })).toBeVisible();
  await expect(phone.getByTestId('reminder-due')).toHaveCount(0);
  await a.close();
  await b.close();
});
