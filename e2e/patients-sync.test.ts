// A station registers a patient with the network off; it is kept, queued, synced once online, and appears on
// the station's other device, found by a name typed without diacritics.
import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('a patient registered offline syncs to the other device of the station', async ({ browser }) => {
  const pc = await browser.newContext();
  const page = await pc.newPage();
  await logIn(page, 'tram.yty', 'yty-demo-2025');
  await expect(page.getByTestId('sync-state')).toContainText('Đã đồng bộ');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await pc.setOffline(true);
  await page.reload();
  await page.getByRole('link', { name: 'Người bệnh' }).click();
  await page.getByLabel('Họ tên người bệnh').fill('Nguyễn Thị Đào');
  await page.getByLabel('Ngày sinh').fill('1990-01-02');
  await page.getByLabel('Giới tính').selectOption('female');
  await page.getByRole('button', { name: 'Lưu' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Đã lưu trên máy' })).toBeVisible();
  await expect(page.getByTestId('patient-list')).toContainText('Nguyễn Thị Đào');
  await expect(page.getByTestId('sync-pending')).toContainText('1 hồ sơ chờ gửi');

  // A reload while still offline keeps the record and the queue.
  await page.reload();
  await expect(page.getByTestId('patient-list')).toContainText('Nguyễn Thị Đào');
  await expect(page.getByTestId('sync-pending')).toBeVisible();

  await pc.setOffline(false);
  await expect(page.getByTestId('sync-state')).toContainText('Đã đồng bộ', { timeout: 20_000 });
  await expect(page.getByTestId('sync-pending')).toHaveCount(0);

  const tablet = await browser.newContext();
  const other = await tablet.newPage();
  await logIn(other, 'tram.yty', 'yty-demo-2025');
  await other.getByRole('link', { name: 'Người bệnh' }).click();
  await other.getByTestId('patient-search').fill('nguyen thi dao');
  await expect(other.getByTestId('patient-list')).toContainText('Nguyễn Thị Đào', { timeout: 20_000 });
  await pc.close();
  await tablet.close();
});
