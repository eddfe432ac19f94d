// What a new user meets in the first hour (the "field readiness" issue): a phone's header, registering and
// finding patients as people type, booking a home visit or for someone else, and English on a 360 px phone.
import { expect, test } from '@playwright/test';
import { localInput, logIn } from './helpers';

test('a station worker on a phone: a compact header, a gender chosen on purpose, the station’s commune first, dates and phones found as typed', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await logIn(page, 'tram.yty', 'yty-demo-2025');
  await page.getByRole('link', { name: 'Người bệnh' }).first().click();
  await expect(page.getByRole('heading', { name: 'Người bệnh', level: 1 })).toBeVisible();
  await page.screenshot({ path: '/tmp/field-readiness-patients-phone.png' });
  // The header, the network line and the sync bar together: at most a quarter of the screen (it was 44 %).
  const bottom = await page.getByTestId('sync-state').evaluate((el) => el.getBoundingClientRect().bottom);
  expect(bottom).toBeLessThanOrEqual(640 * 0.25);

  const form = page.locator('form').filter({ has: page.locator('select[name="gender"]') });
  // No silent default: nothing chosen, and saving without a choice says so.
  await expect(form.locator('select[name="gender"]')).toHaveValue('');
  const name = `Thào Thị Sua ${String(Date.now()).slice(-5)}`;
  const phone = `09${String(Date.now()).slice(-8)}`;
  await form.locator('input[name="fullName"]').fill(name);
  await form.locator('input[name="dateOfBirth"]').fill('1992-03-14');
  await form.locator('input[name="phone"]').fill(phone);
  await form.getByRole('button', { name: 'Lưu', exact: true }).press('Enter');
  await expect(form.getByTestId('gender-error')).toHaveText('Bắt buộc nhập.');
  // The station's own commune first, then the province's communes in Vietnamese order.
  const communes = await form.locator('select[name="communeCode"] option').allTextContents();
  expect(communes[1]).toBe('Xã Y Tý');
  const rest = communes.slice(2);
  expect(rest).toEqual([...rest].sort(new Intl.Collator('vi', { sensitivity: 'base', numeric: true }).compare));
  await form.locator('select[name="gender"]').selectOption('female');
  await form.getByRole('button', { name: 'Lưu', exact: true }).press('Enter');
  await expect(form.getByRole('status')).toBeVisible();

  const search = page.getByTestId('patient-search');
  const list = page.getByTestId('patient-list');
  for (const q of ['14/03/1992', '14/3/1992', phone.slice(-4), phone.slice(-6), phone.slice(0, 6)]) {
    await search.fill(q);
    await expect(list.locator('li').filter({ hasText: name }), `search "${q}"`).toBeVisible();
  }
  // Dates in the list as people read them.
  await expect(list.locator('li').filter({ hasText: name }).getByTestId('patient-dob')).toHaveText('14/03/1992');
  await context.close();
});

test('a patient books a home visit with its address, and for someone else as the booker; in English the cards fit a 360 px phone', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await logIn(page, '0912345678', 'benhnhan-demo-2025');
  await page.getByTestId('book-link').click();
  // Booking for someone else: the account holder is the booker, the person to be seen is left to fill in.
  await expect(page.getByLabel('Họ tên người bệnh')).toHaveValue('Hầu Thị Dua');
  await page.getByLabel('Đăng ký hộ').check();
  await expect(page.getByRole('textbox', { name: 'Họ tên người đặt hẹn hộ' })).toHaveValue('Hầu Thị Dua');
  await expect(page.getByLabel('Họ tên người bệnh')).toHaveValue('');
  await page.getByLabel('Khám tại TYT').check();
  await expect(page.getByLabel('Họ tên người bệnh')).toHaveValue('Hầu Thị Dua');

  // A home visit asks where to go.
  await page.getByLabel('Khám tại nhà').check();
  const at = new Date(Date.now() + 72 * 3600 * 1000);
  at.setHours(9, 0, 0, 0);
  await page.getByLabel('Ngày hẹn, giờ hẹn').fill(localInput(at));
  await page.getByLabel('Tôi đồng ý tham gia tư vấn khám chữa bệnh từ xa.').check();
  // From the keyboard (a notice may float over the bottom of a phone's screen).
  await page.getByTestId('book-submit').press('Enter');
  const address = page.getByLabel('Địa chỉ khám tại nhà');
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await address.fill('Thôn Sín Chải, xã Y Tý');
  await page.getByTestId('book-submit').press('Enter');
  await expect(page.getByTestId('booked')).toBeVisible();

  // English on a phone: nothing wider than the screen.
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.getByRole('heading', { name: 'My appointments' })).toBeVisible();
  await expect(page.getByTestId('appointment').first()).toBeVisible();
  await page.screenshot({ path: '/tmp/field-readiness-home-en.png', fullPage: true });
  const overflowing = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    ...[...document.querySelectorAll<HTMLElement>('[data-testid="appointment"]')].map((card) => card.getBoundingClientRect().right)
  ]);
  for (const right of overflowing) expect(right).toBeLessThanOrEqual(360);
  await context.close();
});

test('before its first sync a device says the data is still coming, not that there is none; the sync bar keeps its place', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  // The sync connection opens but the server never answers: the first sync cannot finish.
  await page.routeWebSocket(/\/sync/, () => {});
  await logIn(page, 'tram.yty', 'yty-demo-2025');
  const bar = page.getByTestId('sync-state');
  await expect(bar).toBeVisible();
  await page.getByRole('link', { name: 'Lịch hẹn' }).first().click();
  await expect(page.getByTestId('first-sync')).toContainText('Đang tải dữ liệu về máy lần đầu');
  await expect(page.getByTestId('appointments-empty')).toHaveCount(0);
  await page.screenshot({ path: '/tmp/field-readiness-first-sync.png' });
  // The bar and its reserved place have one height: the page does not jump when the bar's code arrives.
  const barHeight = await bar.evaluate((el) => el.getBoundingClientRect().height);
  const reserved = await page.evaluate(() => {
    const p = document.createElement('p');
    p.className = 'sync-reserved';
    p.innerHTML = '&nbsp;';
    document.body.prepend(p);
    const h = p.getBoundingClientRect().height;
    p.remove();
    return h;
  });
  expect(Math.abs(reserved - barHeight)).toBeLessThanOrEqual(2);

  // With the server reachable the first sync finishes and the list is the station's.
  // (A new tab of the same browser: the held connection was this tab's only.)
  await page.close();
  const again = await context.newPage();
  await again.goto('/appointments');
  await expect(again.getByTestId('sync-state')).toHaveAttribute('data-state', 'synced');
  await expect(again.getByTestId('first-sync')).toHaveCount(0);
  await context.close();
});
