// Steps several browser tests share.
import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';

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

/** Vietnam's wall clock of a moment (the app shows and reads every time in Asia/Ho_Chi_Minh, UTC+7, no DST). */
const vn = (d: Date) => new Date(d.getTime() + 7 * 3600 * 1000);

/** A moment as a datetime-local input takes it (Vietnam's time): 2026-11-23T08:30. */
export const localInput = (d: Date) => {
  const v = vn(d);
  return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}`;
};

/** A moment as the app shows it (Vietnam's time): 23/11/2026 08:30. */
export const shownDateTime = (d: Date) => {
  const v = vn(d);
  return `${pad(v.getUTCDate())}/${pad(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}`;
};

/**
 * The WCAG contrast ratio of an element's text against the background it is drawn on (its own or the nearest
 * ancestor's opaque background): 1 for white on white, at least 4.5 for readable text.
 */
export async function contrastOf(locator: Locator): Promise<number> {
  return locator.evaluate((el) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) =>
      [r!, g!, b!].map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    let bg: number[] = [255, 255, 255];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3]! > 0.5)) {
        bg = c;
        break;
      }
    }
    const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

/** Waits until the device says it is synced and has nothing waiting. */
export async function synced(page: Page) {
  await expect(page.getByTestId('sync-state')).toContainText('Đã đồng bộ', { timeout: 30_000 });
  await expect(page.getByTestId('sync-pending')).toHaveCount(0, { timeout: 30_000 });
}

/** A signed-in station worker registers a woman named `name` and opens her chart. */
export async function registerPatient(station: Page, name: string, dateOfBirth = '1985-06-01') {
  await station.getByRole('link', { name: 'Người bệnh' }).first().click();
  await station.getByLabel('Họ tên người bệnh').fill(name);
  await station.getByLabel('Ngày sinh').fill(dateOfBirth);
  await station.getByLabel('Giới tính').selectOption('female');
  await station.getByRole('button', { name: 'Lưu', exact: true }).click();
  await station.getByTestId('patient-list').getByRole('link', { name }).click();
}

/**
 * A signed-in station worker registers a woman named `name` and starts a consultation request for her to the
 * district centre, with `reason` as its content: the request is left as a draft, on its screen.
 */
export async function draftRequest(station: Page, c: { name: string; reason: string; dateOfBirth?: string }) {
  await registerPatient(station, c.name, c.dateOfBirth);
  await station.getByRole('link', { name: 'Tạo phiếu yêu cầu hội chẩn' }).click();
  await station.getByTestId('create-request-submit').click();
  await station.getByLabel('Yêu cầu hội chẩn/khám chuyên khoa tuyến trên').fill(c.reason);
}

/**
 * The way to a scheduled consultation, as people do it: the station (`tram.yty`) registers a patient named `name`
 * and sends a request with `reason` to the district centre; the doctor (`bacsi.batxat`) reviews it with `review`
 * and schedules it an hour from now. Both pages end signed in and synced; returns the request's address.
 */
export async function scheduledConsultation(station: Page, doctor: Page, c: { name: string; reason: string; review: string }): Promise<string> {
  await logIn(station, 'tram.yty', 'yty-demo-2025');
  await synced(station);
  await draftRequest(station, c);
  await station.getByTestId('send-request').click();
  await synced(station);
  await expect(station.getByTestId('request-sent')).toContainText('Đã gửi lúc', { timeout: 30_000 });
  const requestUrl = station.url();

  await logIn(doctor, 'bacsi.batxat', 'batxat-demo-2025');
  await synced(doctor);
  await doctor.getByRole('link', { name: 'Ca chờ hội chẩn' }).first().click();
  await doctor.getByTestId('request-item').filter({ hasText: c.name }).getByRole('link', { name: c.name }).click();
  await doctor.getByTestId('start-review').click();
  await doctor.getByLabel('Nhận xét hồ sơ').fill(c.review);
  await doctor.getByLabel('Lịch hội chẩn', { exact: true }).fill(localInput(new Date(Date.now() + 3600 * 1000)));
  await doctor.getByLabel('Lịch hội chẩn', { exact: true }).blur();
  await doctor.getByTestId('schedule-consultation').click();
  await expect(doctor.getByTestId('scheduled')).toBeVisible();
  await synced(doctor);
  return requestUrl;
}
