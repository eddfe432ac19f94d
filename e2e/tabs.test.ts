// Two tabs of the same account: one connection between them, and what one tab types appears in the other.
import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('two tabs share one sync connection and see each other’s new patients at once', async ({ context }) => {
  let sockets = 0;
  context.on('page', (p) => p.on('websocket', () => sockets++));
  const first = await context.newPage();
  await logIn(first, 'tram.yty', 'yty-demo-2025');
  await expect(first.getByTestId('sync-state')).toContainText('Đã đồng bộ');

  const second = await context.newPage();
  await second.goto('/patients');
  await expect(second.getByRole('heading', { level: 1, name: 'Người bệnh' })).toBeVisible();

  await first.getByRole('link', { name: 'Người bệnh' }).click();
  await first.getByLabel('Họ tên người bệnh').fill('Sùng Thị Lìu');
  await first.getByLabel('Ngày sinh').fill('2001-09-09');
  await first.getByLabel('Giới tính').selectOption('female');
  await first.getByRole('button', { name: 'Lưu' }).click();
  await expect(second.getByTestId('patient-list')).toContainText('Sùng Thị Lìu');

  await second.getByLabel('Họ tên người bệnh').fill('Tẩn Láo Sử');
  await second.getByLabel('Ngày sinh').fill('1975-03-03');
  await second.getByLabel('Giới tính').selectOption('male');
  await second.getByRole('button', { name: 'Lưu' }).click();
  await expect(first.getByTestId('patient-list')).toContainText('Tẩn Láo Sử');
  await expect(first.getByTestId('sync-state')).toContainText('Đã đồng bộ');
  expect(sockets, 'only the leader tab connects').toBe(1);
});
