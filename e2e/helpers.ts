// Steps several browser tests share.
import { expect, type BrowserContext, type Page } from '@playwright/test';

/** Logs a demo account in through the login form and waits for the home page's greeting. */
export async function logIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Tên đăng nhập hoặc số điện thoại').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('heading', { name: /Xin chào/ })).toBeVisible();
}

/** Cuts the network and waits until the app has closed its connection: what is done next is queued, not sent. */
export async function goOffline(context: BrowserContext, page: Page) {
  await context.setOffline(true);
  await expect(page.getByTestId('sync-state')).toContainText('Chưa kết nối máy chủ');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as a datetime-local input takes it (local time): 2026-11-23T08:30. */
export const localInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** A moment as the app shows it: 23/11/2026 08:30. */
export const shownDateTime = (d: Date) => `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
