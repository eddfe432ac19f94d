// Bulletins (M9): the Department of Health publishes news; a station's health worker on a phone sees it is new,
// reads it, and reads it again with the network off; the Department withdraws it and it leaves the phone.
import { expect, test } from '@playwright/test';
import { goOffline, logIn } from './helpers';

test('the Department publishes a bulletin; a station reads it, offline too; a withdrawn one leaves the phone', async ({ browser }) => {
  const pc = await browser.newContext();
  const admin = await pc.newPage();
  await logIn(admin, 'admin', 'admin-demo-2025');
  await admin.getByRole('link', { name: 'Bản tin', exact: true }).click();
  const form = admin.getByTestId('bulletin-form');
  await form.getByLabel('Tiêu đề').fill('Tiêm bù sởi – rubella tháng 12');
  await form.getByLabel('Nội dung').fill('Các trạm y tế tổ chức tiêm bù cho trẻ 1–5 tuổi.\nThời gian: 15–20/12.');
  await form.getByRole('button', { name: 'Đăng bản tin' }).click();
  await expect(admin.getByTestId('bulletin-published')).toBeVisible();
  await expect(admin.getByTestId('bulletin')).toHaveCount(1);

  const phoneCtx = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const phone = await phoneCtx.newPage();
  await logIn(phone, 'tram.yty', 'yty-demo-2025');
  await expect(phone.getByTestId('bulletins-link')).toHaveText('Bản tin của Sở Y tế (1 tin mới)');
  await phone.getByTestId('bulletins-link').click();
  const item = phone.getByTestId('bulletin');
  await expect(item).toContainText('Tiêm bù sởi – rubella tháng 12');
  await expect(item).toContainText('Sở Y tế tỉnh Lào Cai');
  await expect(item.locator('.body')).toHaveText('Các trạm y tế tổ chức tiêm bù cho trẻ 1–5 tuổi.\nThời gian: 15–20/12.');
  await phone.screenshot({ path: 'e2e/screenshots/bulletins.png' });

  // Read: no longer new. With the network off, the bulletin is still there after a reload.
  await phone.getByRole('link', { name: 'Trang chủ' }).click();
  await expect(phone.getByTestId('bulletins-link')).toHaveText('Bản tin của Sở Y tế');
  await phone.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await goOffline(phoneCtx, phone);
  await phone.goto('/bulletins');
  await expect(phone.getByTestId('bulletin')).toContainText('Tiêm bù sởi – rubella tháng 12');
  await phoneCtx.setOffline(false);

  // Withdrawn by the Department: the phone drops it at its next fetch.
  admin.once('dialog', (d) => void d.accept());
  await admin.getByTestId('bulletin-withdraw').click();
  await expect(admin.getByTestId('bulletin')).toContainText('đã gỡ');
  await phone.reload();
  await expect(phone.getByTestId('bulletins-empty')).toBeVisible();
  // Appendix 5's bulletin statistics: counted in its period, withdrawn or not.
  await admin.getByRole('link', { name: 'Báo cáo thống kê' }).click();
  await admin.getByTestId('reports-show').click();
  await expect(admin.getByTestId('bulletin-stats')).toContainText('Số bản tin đã đăng trong kỳ: 1');
  await expect(admin.getByTestId('bulletin-stats')).toContainText('Sở Y tế tỉnh Lào Cai: 1');
  await pc.close();
  await phoneCtx.close();
});
