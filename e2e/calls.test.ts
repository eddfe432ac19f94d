// A consultation call (M8, issue 10) between the upper-unit doctor and the station, on a scheduled consultation:
// both see and hear each other; the station's link is cut to 64 kbit/s and the call goes on audio-only without
// dropping; then to almost nothing, and the phone line of the other unit is offered (and logged).
// Runs in the `calls` project (playwright.config.ts): fake camera and microphone, loopback candidates.
import { expect, test, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { scheduledConsultation } from './helpers';

type CallStats = { phase: string; rung: string; framesDecoded: number; audioBytesReceived: number; videoBytesSent: number; videoActive: boolean; connection: string; loggedRungs: string[] };

/** The call screen's test hook (present only with the debug flag this test sets on its devices). */
const stats = (page: Page) => page.evaluate(() => (window as unknown as { __call?: { stats(): Promise<CallStats> } }).__call?.stats() ?? null);


/** Audio keeps arriving: the bytes received grow between two readings. */
async function audioFlows(page: Page) {
  const before = (await stats(page))!.audioBytesReceived;
  await expect.poll(async () => (await stats(page))!.audioBytesReceived, { timeout: 15_000 }).toBeGreaterThan(before);
}

async function throttle(cdp: CDPSession, bytesPerSecond: number) {
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
}

test('the doctor calls the station on a scheduled consultation; a 64 kbit/s link goes audio-only, a dead one offers the phone', async ({ browser }) => {
  test.setTimeout(240_000);
  const name = `Thào Thị Gọi ${String(Date.now()).slice(-5)}`;
  const open = async (viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> => {
    const context = await browser.newContext({ viewport });
    await context.addInitScript(() => localStorage.setItem('telehealth.debug.calls', '1'));
    return [context, await context.newPage()];
  };
  // The station on a 360×640 phone, the doctor on a PC.
  const [stationCtx, station] = await open({ width: 360, height: 640 });
  const [doctorCtx, doctor] = await open({ width: 1366, height: 768 });

  // A patient, a consultation request sent to the district centre…
  const requestUrl = await scheduledConsultation(station, doctor, { name, reason: 'Hội chẩn qua video: đau bụng kéo dài.', review: 'Hội chẩn qua video.' });

  // The station opens the call from the scheduled request and waits; the doctor calls.
  await station.goto(requestUrl);
  await station.getByTestId('open-call').click({ timeout: 30_000 });
  await expect(station.getByTestId('check-camera')).toContainText('sẵn sàng', { timeout: 20_000 });
  await expect(station.getByTestId('suggested')).toBeVisible();
  // The notice that the centre answered floats over the bottom of the phone's screen: read, it goes.
  await station.getByRole('button', { name: 'Đã xem' }).click();
  // Chromium throttles a peer connection's sockets only when the page's network emulation is on as they open: a
  // wide-open emulation (40 Mbit/s) from the start, narrowed below.
  const cdp = await stationCtx.newCDPSession(station);
  await cdp.send('Network.enable');
  await throttle(cdp, 5_000_000);
  await station.getByTestId('call-join').click();
  await expect(station.getByTestId('call-waiting')).toContainText('Đang chờ');

  await doctor.reload();
  await doctor.getByTestId('open-call').click();
  await expect(doctor.getByTestId('check-microphone')).toContainText('sẵn sàng', { timeout: 20_000 });
  await doctor.getByTestId('call-join').click();

  // Both see and hear each other.
  for (const page of [doctor, station]) {
    await expect(page.getByTestId('call')).toHaveAttribute('data-phase', 'connected', { timeout: 30_000 });
    await expect.poll(async () => (await stats(page))?.framesDecoded ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await audioFlows(page);
  }
  await expect(station.getByTestId('call-peer')).toContainText('Nguyễn Văn Hùng');
  await expect(doctor.getByTestId('call-peer')).toContainText('Lý Thị Mai');
  await expect(station.getByTestId('call-rung')).toBeVisible();
  // Usable on the 360×640 phone: nothing wider than the screen.
  expect(await station.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await station.screenshot({ path: 'e2e/screenshots/call-station-phone.png' });

  // The station's link is cut to 64 kbit/s (8,000 B/s each way): video stops, the voice goes on.
  await throttle(cdp, 8_000);
  await expect(station.getByTestId('call')).toHaveAttribute('data-rung', 'audio', { timeout: 30_000 });
  await expect(station.getByTestId('call-rung')).toContainText('Chỉ âm thanh');
  await expect.poll(async () => (await stats(station))!.videoActive, { timeout: 10_000 }).toBe(false);
  await audioFlows(station);
  await audioFlows(doctor);
  await expect(station.getByTestId('call')).toHaveAttribute('data-phase', 'connected');
  await expect(doctor.getByTestId('call')).toHaveAttribute('data-phase', 'connected');
  await station.screenshot({ path: 'e2e/screenshots/call-station-audio-only.png' });

  // Then to almost nothing: the phone rung, with the centre's phone line, logged.
  await throttle(cdp, 100);
  await expect(station.getByTestId('call')).toHaveAttribute('data-rung', 'phone', { timeout: 45_000 });
  const link = station.getByTestId('call-phone-link');
  await expect(link).toHaveAttribute('href', 'tel:02143883115');
  await expect.poll(async () => (await stats(station))!.loggedRungs, { timeout: 10_000 }).toContain('phone');
  await station.screenshot({ path: 'e2e/screenshots/call-station-phone-rung.png' });

  await throttle(cdp, -1);
  await doctor.getByTestId('call-hang-up').click();
  await expect(doctor.getByTestId('call-ended')).toBeVisible();
  await stationCtx.close();
  await doctorCtx.close();
});
