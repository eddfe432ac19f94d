// A booking on behalf of someone is examined in the chart of the person seen, never the booker's.
import { expect, test } from '@playwright/test';
import { localInput, logIn } from './helpers';

test('a mother books for her child: the visit goes to the child\'s own chart, with the parent-present rule', async ({ browser }) => {
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const mother = await phone.newPage();
  await logIn(mother, '0912345678', 'benhnhan-demo-2025');
  await mother.getByTestId('book-link').click();
  await mother.getByLabel('Đăng ký hộ').check();
  await mother.getByRole('textbox', { name: 'Họ tên người đặt hẹn hộ' }).fill('Hầu Thị Dua');
  await mother.getByLabel('Họ tên người bệnh').fill('Hầu A Chư');
  await mother.getByLabel('Ngày sinh').fill('2023-02-10');
  const at = new Date(Date.now() + 48 * 3600 * 1000);
  at.setHours(9, 0, 0, 0);
  await mother.getByLabel('Ngày hẹn, giờ hẹn').fill(localInput(at));
  await mother.getByLabel('Tôi đồng ý tham gia tư vấn khám chữa bệnh từ xa.').check();
  await mother.getByTestId('book-submit').click();
  await expect(mother.getByTestId('booked')).toBeVisible();
  await expect(mother.getByTestId('sync-state')).toContainText('Đã đồng bộ', { timeout: 20_000 });

  const pc = await browser.newContext();
  const station = await pc.newPage();
  await logIn(station, 'tram.yty', 'yty-demo-2025');
  await station.getByRole('link', { name: 'Lịch hẹn' }).first().click();
  const card = station.getByTestId('appointment').filter({ hasText: 'Hầu A Chư' });
  await expect(card).toContainText('Đăng ký hộ', { timeout: 20_000 });
  await card.getByTestId('accept').click();
  await station.getByTestId('tab-waiting').click();
  await station.getByTestId('appointment').filter({ hasText: 'Hầu A Chư' }).getByTestId('examine').click();
  await expect(station.getByTestId('form-patient')).toHaveText('Hầu A Chư');
  await station.getByTestId('triage-none').click();
  await expect(station.getByText('Trẻ dưới 6 tuổi: phải có cha, mẹ hoặc người chăm sóc có mặt.')).toBeVisible();
  // The booker's own chart was not renamed or used.
  const chartUrl = new URL(station.url());
  expect(chartUrl.searchParams.get('patient')).not.toBe('patient-demo-0001');
  await phone.close();
  await pc.close();
});
