// The station cancels while the patient, offline, accepts the new time: the server keeps the station's
// decision and refuses the patient's answer; the phone says so, keeps the refused change in its list, and
// shows the appointment as the server has it.
import { expect, test } from '@playwright/test';
import { goOffline, logIn } from './helpers';

test('a patient\'s answer to a proposal the station cancelled meanwhile is refused, shown and kept', async ({ browser }) => {
  // A date of its own, so that the test can run again on the same server.
  const day = 1 + Math.floor(Math.random() * 28);
  const month = 1 + Math.floor(Math.random() * 12);
  const year = 2030 + Math.floor(Math.random() * 40);
  const pad = (n: number) => String(n).padStart(2, '0');
  const wished = `${year}-${pad(month)}-${pad(day)}T09:00`;
  const proposed = `${year}-${pad(month)}-${pad(day)}T14:00`;
  const shown = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
  const phoneCtx = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const phone = await phoneCtx.newPage();
  await logIn(phone, '0912345678', 'benhnhan-demo-2025');
  await phone.getByTestId('book-link').click();
  await phone.getByLabel('Ngày hẹn, giờ hẹn').fill(wished);
  await phone.getByRole('textbox', { name: 'Yêu cầu khác' }).fill('Khám lại huyết áp (xung đột)');
  await phone.getByLabel('Tôi đồng ý tham gia tư vấn khám chữa bệnh từ xa.').check();
  await phone.getByTestId('book-submit').click();
  await expect(phone.getByTestId('sync-state')).toContainText('Đã đồng bộ', { timeout: 20_000 });
  await phone.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });

  const pcCtx = await browser.newContext();
  const pc = await pcCtx.newPage();
  await logIn(pc, 'tram.yty', 'yty-demo-2025');
  await pc.getByRole('link', { name: 'Lịch hẹn' }).first().click();
  const card = pc.getByTestId('appointment').filter({ hasText: shown(wished) });
  await card.getByRole('button', { name: 'Đề nghị giờ khác' }).click();
  await card.getByLabel('Giờ hẹn mới').fill(proposed);
  await card.getByRole('button', { name: 'Gửi đề nghị' }).click();
  await expect(pc.getByTestId('sync-state')).toContainText('Đã đồng bộ', { timeout: 20_000 });

  const mine = phone.getByTestId('appointment').filter({ hasText: shown(wished) });
  await expect(mine.getByTestId('proposed-at')).toContainText(shown(proposed), { timeout: 20_000 });
  await goOffline(phoneCtx, phone);
  await mine.getByTestId('accept-proposal').click();
  await expect(mine.getByTestId('appointment-status')).toHaveText('Chờ khám');
  await expect(phone.getByTestId('sync-pending')).toContainText('1 hồ sơ chờ gửi');
  await expect(phone.getByTestId('sync-state')).toContainText('Chưa kết nối máy chủ');

  await card.getByRole('button', { name: 'Hủy hẹn' }).click();
  await card.getByLabel('Lý do hủy').fill('Trạm đi tiêm chủng cả ngày');
  await card.getByRole('button', { name: 'Xác nhận hủy' }).click();

  // What the server holds, seen from a fresh device of the station (nothing cached).
  const onServer = async () => {
    const ctx = await browser.newContext();
    const fresh = await ctx.newPage();
    await logIn(fresh, 'tram.yty', 'yty-demo-2025');
    await fresh.getByRole('link', { name: 'Lịch hẹn' }).first().click();
    await fresh.getByTestId('tab-cancelled').click();
    await expect(fresh.getByTestId('appointment').filter({ hasText: shown(wished) })).toContainText('Trạm đi tiêm chủng cả ngày', { timeout: 20_000 });
    await ctx.close();
  };
  // The cancellation reached the server before the phone comes back.
  await onServer();

  await phoneCtx.setOffline(false);
  await expect(phone.getByTestId('sync-state')).toContainText('1 thay đổi bị máy chủ từ chối', { timeout: 20_000 });
  // The phone's copy is rebuilt from the server's: the station's cancellation shows where "Chờ khám" was.
  await expect(mine.getByTestId('appointment-status')).toHaveText('Hủy', { timeout: 20_000 });
  await expect(mine).toContainText('Trạm đi tiêm chủng cả ngày');
  await phone.getByRole('link', { name: '1 thay đổi bị máy chủ từ chối' }).click();
  await expect(phone.getByTestId('refused-list')).toContainText('Tài khoản này không được phép thay đổi hồ sơ này như vậy');

  // The station's decision still stands on the server.
  await onServer();
  await phoneCtx.close();
  await pcCtx.close();
});
