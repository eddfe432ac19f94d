// FHIR between two servers, as a station does it (M13, issue 13): on the first server a station registers a patient
// and sees her (a visit with vital signs); the chart is exported as a FHIR file from its
// screen; on a second, empty server the same station imports the file from Settings and the chart reads the same
// (name, identifiers, the visit and its vital signs); a bundle with mistakes is refused with them, and nothing of it
// appears. A reminder the station writes reaches the patient's phone, in the app and as a system notification, and
// once seen stays seen. The encrypted device backup is e2e/backup.test.ts (run with these by `npm run e2e:interop`).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../scripts/lib/postgres.mjs';
import { localInput, logIn, registerPatient, synced } from './helpers';

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
  test.setTimeout(180_000);
  const second = await secondServer();
  try {
    const a = await browser.newContext();
    const station = await a.newPage();
    await logIn(station, 'tram.yty', 'yty-demo-2025');
    await synced(station);
    const name = 'Thào Thị Mỷ';
    await registerPatient(station, name, '1990-02-14');
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
    await synced(station);
    await station.getByRole('button', { name: 'Về hồ sơ người bệnh' }).click();
    await expect(station.getByTestId('chart-name')).toHaveText(name);

    const [download] = await Promise.all([station.waitForEvent('download'), station.getByTestId('chart-fhir').click()]);
    expect(download.suggestedFilename()).toMatch(/^fhir-.+\.json$/);
    const file = test.info().outputPath('chart.json');
    await download.saveAs(file);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { entry: { resource: Record<string, unknown> }[] };
    const types = bundle.entry.map((e) => e.resource.resourceType);
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'Observation', 'Consent', 'Composition']));
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
    await other.screenshot({ path: `${shots}/fhir-import-done.png`, fullPage: true });

    // The chart on the second server reads the same: name, CCCD, the visit and its vital signs.
    await other.getByRole('link', { name: 'Người bệnh' }).first().click();
    await other.getByTestId('patient-search').fill('thao thi my');
    await other.getByTestId('patient-list').getByRole('link', { name }).click();
    await expect(other.getByTestId('chart-name')).toHaveText(name);
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
