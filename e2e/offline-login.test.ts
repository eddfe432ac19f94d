// Offline login on a station device: after one online login, the same worker opens the app with no network.
import { expect, test } from '@playwright/test';

test('a worker who logged in online once can log in again with the network off, and not with a wrong password', async ({ page, context }) => {
  const logIn = async (password: string) => {
    await page.getByLabel('Tên đăng nhập hoặc số điện thoại').fill('tram.amusung');
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
  };
  await page.goto('/login');
  await logIn('amusung-demo-2025');
  await expect(page.getByRole('heading', { name: /Xin chào, Vàng A Sử/ })).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  // A station device: keep this account's data (offline login needs it).
  await page.getByRole('button', { name: 'Đăng xuất, giữ dữ liệu trên máy' }).click();

  await context.setOffline(true);
  await page.goto('/login');
  await logIn('sai-mat-khau');
  await expect(page.getByRole('alert')).toContainText('Không kết nối được máy chủ');
  await logIn('amusung-demo-2025');
  await expect(page.getByRole('heading', { name: /Xin chào, Vàng A Sử/ })).toBeVisible();
  await expect(page.getByTestId('offline-login')).toBeVisible();
  await page.getByRole('link', { name: 'Người bệnh' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Người bệnh' })).toBeVisible();
  await context.setOffline(false);
});
