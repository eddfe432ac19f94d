// Keyboard only: a station worker logs in, reaches the appointments and switches status tabs without a mouse.
import { expect, test } from '@playwright/test';

test('the login form and the main navigation work with the keyboard alone', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Tên đăng nhập hoặc số điện thoại').focus();
  await page.keyboard.type('tram.amusung');
  await page.keyboard.press('Tab');
  await page.keyboard.type('amusung-demo-2025');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /Xin chào/ })).toBeVisible();

  // Tab from the top of the page to the "Lịch hẹn" link, then open it with Enter.
  await page.locator('body').focus();
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Lịch hẹn');
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Lịch hẹn khám' })).toBeVisible();
  // A visible focus ring on the focused control.
  await page.getByTestId('tab-waiting').focus();
  expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tab-waiting')).toHaveAttribute('aria-pressed', 'true');
});
