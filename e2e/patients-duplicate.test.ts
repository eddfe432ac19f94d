// Registering the same person twice: the station is warned and may still save a different person.
import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('a likely duplicate patient is shown before saving, and can be saved on purpose', async ({ page }) => {
  await logIn(page, 'tram.yty', 'yty-demo-2025');
  await page.getByRole('link', { name: 'Người bệnh' }).click();

  const register = async (name: string) => {
    await page.getByLabel('Họ tên người bệnh').fill(name);
    await page.getByLabel('Ngày sinh').fill('1968-12-24');
    await page.getByLabel('Giới tính').selectOption('female');
    await page.getByRole('button', { name: 'Lưu', exact: true }).click();
  };
  await register('Lò Thị Phủ');
  await expect(page.getByRole('status').filter({ hasText: 'Đã lưu trên máy' })).toBeVisible();
  await register('LO THI PHU');
  await expect(page.getByTestId('duplicate-warning')).toContainText('Lò Thị Phủ — 24/12/1968');
  await page.getByRole('button', { name: 'Đây là người khác, vẫn lưu' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Đã lưu trên máy' })).toBeVisible();
  await page.getByTestId('patient-search').fill('lo thi phu');
  await expect(page.getByTestId('patient-list').locator('li')).toHaveCount(2);
});
