// A consultation call (M8, issue 10) between the upper-unit doctor and the station, on a scheduled consultation:
// both see and hear each other; the station's link is cut to 64 kbit/s and the call goes on audio-only without
// dropping; then to almost nothing, and the phone line of the other unit is offered (and logged).
// Runs in the `calls` project (playwright.config.ts): fake camera and microphone, loopback candidates.
import { expect, test, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { scheduledConsultation } from './helpers';

type CallStats = { phase: string; rung: string; framesDecoded: number; audioBytesReceived: number; videoBytesSent: number; videoActive: boolean; connection: string; loggedRungs: string[] };

/** The call screen's test hook (present only with the debug flag this test sets on its devices). */
const stats = (page: Page) => page.evaluate(() => (window as unknown as { __call?: { stats(): Promise<CallStats> } }).__call?.stats() ?? null);


/** Audio keeps arriving: the bytes received grow between two readings. */
async function audioFlows(page: Page) {
  const before = (await stats(page))!.audioBytesReceived;
  await expect.poll(async () => (await stats(page))!.audioBytesReceived, { timeout: 15_000 }).toBeGreaterThan(before);
}

/** A browser context with the call screen's test hook on (the debug flag), and its page. */
async function open(browser: Browser, viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(() => localStorage.setItem('telehealth.debug.calls', '1'));
  return [context, await context.newPage()];
}

async function throttle(cdp: CDPSession, bytesPerSecond: number) {
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
}

test('the doctor calls the station on a scheduled consultation; a 64 kbit/s link goes audio-only, a dead one offers the phone', async ({ browser }) => {
  test.setTimeout(240_000);
  const name = `Thào Thị Gọi ${String(Date.now()).slice(-5)}`;
  // The station on a 360×640 phone, the doctor on a PC.
  const [stationCtx, station] = await open(browser, { width: 360, height: 640 });
  const [doctorCtx, doctor] = await open(browser, { width: 1366, height: 768 });

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

// Recording (circular 49 art. 7.2) on a multi-party consultation through the SFU: nothing records until everyone in
// the call consents; a guest the doctor invites by link ("Mời người tham gia") joins while it records and is asked
// before their camera and microphone join; the recording is listed in the case; a withdrawn link opens nothing. This lane checks the consent and its screens; whether media crosses Janus here
// depends on the machine's interfaces (none on loopback alone), so the files are checked by `e2e/sfu-media.ts`,
// which records real media in a network namespace.
test('a call is recorded only once everyone consents; a guest invited by link is asked first; the recording is listed in the case', async ({ browser, request }) => {
  test.setTimeout(240_000);
  const admin = (await (await request.post('/api/auth/login', { data: { username: 'admin', password: 'admin-demo-2025' } })).json()) as { accessToken: string };
  const capabilities = (await (await request.get('/api/calls/capabilities', { headers: { authorization: `Bearer ${admin.accessToken}` } })).json()) as { sfu: boolean };
  expect(capabilities.sfu, 'the test server runs Janus (npm test installs it)').toBe(true);

  const [stationCtx, station] = await open(browser, { width: 360, height: 640 });
  const [doctorCtx, doctor] = await open(browser, { width: 1366, height: 768 });
  const requestUrl = await scheduledConsultation(station, doctor, { name: `Sùng Thị Ghi ${String(Date.now()).slice(-5)}`, reason: 'Hội chẩn nhiều bên, có ghi hình.', review: 'Hội chẩn qua video.' });

  // The station opens a multi-party call and waits.
  await station.goto(requestUrl);
  await station.getByTestId('open-call').click({ timeout: 30_000 });
  await expect(station.getByTestId('call-multi-party')).toBeVisible({ timeout: 20_000 });
  await station.getByRole('button', { name: 'Đã xem' }).click();
  await station.getByTestId('call-multi-party').locator('input').check();
  await station.getByTestId('call-join').click();
  const stationRec = station.getByTestId('call-recording');
  await expect(stationRec).toHaveAttribute('data-status', 'off', { timeout: 20_000 });

  // The doctor joins the same room (someone is there already).
  await doctor.reload();
  await doctor.getByTestId('open-call').click();
  await expect(doctor.getByTestId('check-microphone')).toContainText('sẵn sàng', { timeout: 20_000 });
  await doctor.getByTestId('call-join').click();
  const doctorRec = doctor.getByTestId('call-recording');
  await expect(doctorRec).toHaveAttribute('data-status', 'off', { timeout: 20_000 });

  // The station asks: it waits for the doctor, who is asked.
  await station.getByTestId('call-rec-ask').click();
  await expect(stationRec).toHaveAttribute('data-status', 'asking');
  await expect(station.getByTestId('call-rec-waiting')).toContainText('Nguyễn Văn Hùng');
  await expect(doctorRec).toContainText('Lý Thị Mai (CBYT Trạm Y tế xã Y Tý) đề nghị ghi hình');
  await expect(doctor.getByTestId('call-rec-consent')).toBeVisible();
  // Declining: nothing is recorded, and the station is told who declined.
  await doctor.getByTestId('call-rec-decline').click();
  await expect(stationRec).toHaveAttribute('data-status', 'off');
  await expect(station.getByTestId('call-rec-ended')).toContainText('Nguyễn Văn Hùng');
  await expect(station.getByTestId('call-rec-ended')).toContainText('không ghi');

  // Asked again, consented: both screens say it records.
  await station.getByTestId('call-rec-ask').click();
  await doctor.getByTestId('call-rec-consent').click();
  for (const rec of [stationRec, doctorRec]) await expect(rec).toHaveAttribute('data-status', 'recording');
  await expect(station.getByTestId('call-rec-live')).toContainText('Đang ghi hình');
  expect(await station.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await station.screenshot({ path: 'e2e/screenshots/call-recording-station.png', fullPage: true });

  // The doctor invites a specialist of the provincial hospital by link.
  await doctor.getByTestId('call-invite-open').click();
  await doctor.getByTestId('call-invite-name').fill('PGS. Giàng Seo Páo');
  await doctor.getByTestId('call-invite-create').click();
  const link = await doctor.getByTestId('call-invite-link').inputValue();
  expect(link).toMatch(/\/join\?i=[0-9a-f-]{36}\.[A-Za-z0-9_-]{32}$/);
  await doctor.screenshot({ path: 'e2e/screenshots/call-invite-doctor.png', fullPage: true });

  // The guest opens it on a phone, without an account: told who invites them into what (not the patient), and,
  // the call being recorded, asked before anything of theirs is sent.
  const [lateCtx, late] = await open(browser, { width: 360, height: 640 });
  await late.goto(link);
  await expect(late.getByTestId('join-about')).toContainText('BS. Nguyễn Văn Hùng (TTYT khu vực Bát Xát) mời PGS. Giàng Seo Páo tham gia cuộc hội chẩn giữa Trạm Y tế xã Y Tý và Trung tâm Y tế khu vực Bát Xát');
  await expect(late.getByTestId('join')).not.toContainText('Sùng Thị Ghi');
  await expect(late.getByTestId('check-microphone')).toContainText('sẵn sàng', { timeout: 20_000 });
  await late.getByTestId('call-join').click();
  const lateRec = late.getByTestId('call-recording');
  await expect(lateRec).toHaveAttribute('data-status', 'recording', { timeout: 20_000 });
  await expect(lateRec).toContainText('Camera và micro của bạn chỉ tham gia khi bạn đồng ý');
  await expect(station.getByTestId('call-rec-waiting')).toContainText('Giàng Seo Páo');
  // Nothing of theirs goes up until they consent: no publisher connection exists.
  expect((await late.evaluate(() => (window as unknown as { __call: { stats(): Promise<{ connection: string }> } }).__call.stats())).connection).toBe('none');
  await late.screenshot({ path: 'e2e/screenshots/call-recording-late-joiner.png', fullPage: true });
  await late.getByTestId('call-rec-consent').click();
  await expect(late.getByTestId('call-rec-stop')).toBeVisible();
  await expect.poll(async () => (await late.evaluate(() => (window as unknown as { __call: { stats(): Promise<{ connection: string }> } }).__call.stats())).connection, { timeout: 20_000 }).not.toBe('none');
  await expect(station.getByTestId('call-rec-waiting')).toHaveCount(0);

  await expect(station.getByTestId('call-present')).toContainText('PGS. Giàng Seo Páo (khách mời)', { timeout: 20_000 });

  // The doctor stops it; the recording is listed in the case.
  await doctor.getByTestId('call-rec-stop').click();
  await expect(doctorRec).toHaveAttribute('data-status', 'off', { timeout: 30_000 });
  await expect(doctor.getByTestId('call-rec-ended')).toBeVisible();
  for (const page of [late, station]) await page.getByTestId('call-hang-up').click();
  // The link withdrawn: it opens nothing any more.
  await doctor.getByTestId('call-invite-revoke').click();
  await expect(doctor.getByTestId('call-invites')).toHaveCount(0);
  await late.goto(link);
  await expect(late.getByTestId('join-bad')).toContainText('thu hồi');
  await doctor.goto(requestUrl);
  const listed = doctor.getByTestId('recording');
  await expect(listed).toHaveCount(1, { timeout: 20_000 });
  await expect(listed).toContainText('Giàng Seo Páo');
  await stationCtx.close();
  await doctorCtx.close();
  await lateCtx.close();
});
