// A station's device, offline, backs its data up to a file; a fresh browser profile of the same account restores
// it: the record typed offline is there, and it reaches the server (a third device reads it).
import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('a backup made offline restores on a fresh browser profile with the same records, and its unsent change syncs', async ({ browser }) => {
  const pc = await browser.newContext();
  const page = await pc.newPage();
  await logIn(page, 'tram.yty', 'yty-demo-2025');
  await expect(page.getByTestId('sync-state')).toContainText('Đã đồng bộ');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  // Offline: a new patient is kept on this device only.
  await pc.setOffline(true);
  await page.reload();
  await page.getByRole('link', { name: 'Người bệnh' }).click();
  await page.getByLabel('Họ tên người bệnh').fill('Phàn Thị Sao Lưu');
  await page.getByLabel('Ngày sinh').fill('1993-03-13');
  await page.getByLabel('Giới tính').selectOption('female');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByTestId('sync-pending')).toContainText('1 hồ sơ chờ gửi');

  await page.getByRole('link', { name: 'Cài đặt' }).click();
  await expect(page.getByRole('heading', { name: 'Sao lưu dữ liệu' })).toBeVisible();
  await page.getByTestId('backup-passphrase').fill('ngắn');
  await page.getByTestId('backup-passphrase-again').fill('ngắn');
  await page.getByRole('button', { name: 'Tải tệp sao lưu' }).click();
  await expect(page.getByTestId('backup-problem')).toHaveText('Mật khẩu sao lưu quá ngắn.');
  await page.getByTestId('backup-passphrase').fill('trạm Y Tý cất tủ');
  await page.getByTestId('backup-passphrase-again').fill('trạm Y Tý cất tủ');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải tệp sao lưu' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^sao-luu-.+\.ytxbak$/);
  await expect(page.getByTestId('backup-made')).toContainText('1 thay đổi chưa gửi');
  // Kept apart from the device (closing the browser profile deletes its downloads).
  const file = test.info().outputPath('station.ytxbak');
  await download.saveAs(file);
  // The device is lost before it ever syncs again.
  await pc.close();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await logIn(other, 'tram.yty', 'yty-demo-2025');
  await other.getByRole('link', { name: 'Cài đặt' }).click();
  await other.getByTestId('backup-file').setInputFiles(file);
  await other.getByTestId('backup-restore-passphrase').fill('sai mật khẩu rồi');
  await other.getByRole('button', { name: 'Khôi phục', exact: true }).click();
  await expect(other.getByTestId('backup-problem')).toHaveText('Sai mật khẩu sao lưu. Không có gì thay đổi.', { timeout: 20_000 });
  await other.getByTestId('backup-restore-passphrase').fill('trạm Y Tý cất tủ');
  await other.getByRole('button', { name: 'Khôi phục', exact: true }).click();
  await expect(other.getByTestId('backup-restored')).toContainText('1 thay đổi sẽ được gửi khi có mạng', { timeout: 20_000 });
  await other.getByRole('link', { name: 'Người bệnh' }).click();
  await expect(other.getByTestId('patient-list')).toContainText('Phàn Thị Sao Lưu');
  await expect(other.getByTestId('sync-state')).toContainText('Đã đồng bộ', { timeout: 20_000 });
  await expect(other.getByTestId('sync-pending')).toHaveCount(0);

  const third = await browser.newContext();
  const tablet = await third.newPage();
  await logIn(tablet, 'tram.yty', 'yty-demo-2025');
  await tablet.getByRole('link', { name: 'Người bệnh' }).click();
  await tablet.getByTestId('patient-search').fill('phan thi sao luu');
  await expect(tablet.getByTestId('patient-list')).toContainText('Phàn Thị Sao Lưu', { timeout: 20_000 });
  await fresh.close();
  await third.close();
});
