// The PWA shell: installable, works offline after the first visit, Vietnamese first with an English switch.
import { expect, test } from '@playwright/test';

test('after one online visit, the app reloads and navigates with the network off', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Y tế từ xa xã' })).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });

  await context.setOffline(true);
  const reachable = await page.evaluate(() => fetch('/healthz').then(() => true, () => false));
  expect(reachable, 'the browser must really be offline').toBe(false);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Y tế từ xa xã' })).toBeVisible();
  // Debian's Chromium 150 keeps the network cut for a reloaded page (its requests fail) but reports
  // navigator.onLine = true in it until the emulation is applied again (156 did not): re-apply it, so that the
  // browser says what a real offline phone says.
  await context.setOffline(false);
  await context.setOffline(true);
  await expect(page.getByTestId('network-state')).toContainText('Mất mạng');

  await page.getByRole('link', { name: 'Cài đặt' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cài đặt' })).toBeVisible();
  await expect(page.getByTestId('offline-ready')).toHaveText('Ứng dụng đã sẵn sàng dùng khi mất mạng.');

  // A deep link typed in the address bar while offline is answered by the service worker's shell.
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Đăng nhập' })).toBeVisible();
  await context.setOffline(false);
});

test('the manifest makes the app installable with regular and maskable icons', async ({ request }) => {
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest.display).toBe('standalone');
  expect(manifest.lang).toBe('vi');
  const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
  expect(sizes).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of manifest.icons) {
    const res = await request.get(icon.src);
    expect(res.headers()['content-type']).toBe('image/png');
  }
});

test('the language switch turns the interface to English and remembers it', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
});

test('a demo station worker logs in and sees their role; a wrong password is refused in Vietnamese', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Tên đăng nhập hoặc số điện thoại').fill('tram.yty');
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('alert')).toHaveText('Sai tên đăng nhập hoặc mật khẩu.');

  await page.getByLabel('Mật khẩu').fill('yty-demo-2025');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('heading', { name: /Xin chào, Lý Thị Mai/ })).toBeVisible();
  await expect(page.getByText('Cán bộ y tế trạm y tế xã')).toBeVisible();
});
