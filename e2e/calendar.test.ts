// The consultation calendar (criterion 60): the district centre's doctor publishes its weekly consultation hours; the
// station (a 360×640 phone) reads them, then, offline, picks a free slot of tomorrow for its request and sends it;
// back online the request reaches the centre, whose day view shows it as proposed by the station, and its home
// page reminds it of the consultation once scheduled.
import { expect, test } from '@playwright/test';
import { draftRequest, goOffline, logIn, synced } from './helpers';

const day = 86_400_000;
/** Tomorrow in Vietnam: its weekday (1 Monday … 7 Sunday) and its date (YYYY-MM-DD). */
const tomorrow = () => {
  const vn = new Date(Date.now() + 7 * 3600 * 1000 + day);
  return { weekday: ((vn.getUTCDay() + 6) % 7) + 1, date: vn.toISOString().slice(0, 10) };
};

test('the centre publishes its consultation hours, a station picks a slot offline, both see the day', async ({ browser }) => {
  test.setTimeout(180_000);
  const name = `Sùng Thị Lịch ${String(Date.now()).slice(-5)}`;
  const doctorCtx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const stationCtx = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const doctor = await doctorCtx.newPage();
  const station = await stationCtx.newPage();
  const { weekday, date } = tomorrow();

  // The doctor publishes: tomorrow's weekday, 14:00–16:00, 30-minute consultations.
  await logIn(doctor, 'bacsi.batxat', 'batxat-demo-2025');
  await doctor.getByRole('link', { name: 'Lịch hội chẩn' }).first().click();
  const editor = doctor.getByTestId('calendar-editor');
  await editor.getByTestId('add-hours').click();
  await editor.getByTestId('hours').getByLabel('Thứ').selectOption(String(weekday));
  await editor.getByLabel('Lưu ý cho các trạm').fill('Gọi trước 15 phút.');
  await editor.getByTestId('save-calendar').click();
  await expect(editor.getByTestId('calendar-outcome')).toHaveText('Đã công bố lịch hội chẩn.');

  // The station reads it (and keeps it on the device).
  await logIn(station, 'tram.yty', 'yty-demo-2025');
  await synced(station);
  await station.getByRole('link', { name: 'Lịch hội chẩn' }).first().click();
  const upper = station.getByTestId('unit-calendar');
  await expect(upper).toContainText('Bát Xát', { timeout: 20_000 });
  await expect(upper).toContainText('14:00–16:00');
  await expect(upper).toContainText('Gọi trước 15 phút.');

  // A request for a new patient; offline, the station picks tomorrow's 14:30 from the calendar, then sends it.
  await draftRequest(station, { name, dateOfBirth: '1979-03-09', reason: 'Ho kéo dài, xin hội chẩn theo lịch.' });
  await goOffline(stationCtx, station);
  const picker = station.getByTestId('slot-picker');
  await expect(picker).toContainText('Bát Xát');
  await picker.getByTestId('slot').filter({ hasText: '14:30' }).first().click();
  await expect(station.getByLabel('Ngày, giờ đề nghị hội chẩn')).toHaveValue(`${date}T14:30`);
  await expect(picker.getByTestId('slot').filter({ hasText: '14:30' }).first()).toHaveAttribute('aria-pressed', 'true');
  await station.screenshot({ path: 'e2e/screenshots/calendar-slot-phone.png', fullPage: true });
  await station.getByTestId('send-request').click();
  await stationCtx.setOffline(false);
  await synced(station);

  // The centre's day view for tomorrow: the request, at the time the station picked, waiting to be scheduled.
  await doctor.reload();
  await synced(doctor);
  await doctor.getByLabel('Ngày', { exact: true }).fill(date);
  const item = doctor.getByTestId('day-consultation').filter({ hasText: name });
  await expect(item).toContainText('14:30', { timeout: 30_000 });
  await expect(item).toContainText('Trạm đề xuất, chờ xếp lịch');
  await expect(item).toContainText('Y Tý');

  // The centre confirms the station's time: both are reminded of tomorrow's consultation.
  await item.getByRole('link', { name }).click();
  await doctor.getByTestId('start-review').click();
  await doctor.getByLabel('Nhận xét hồ sơ').fill('Đồng ý hội chẩn theo giờ trạm chọn.');
  await doctor.getByLabel('Lịch hội chẩn', { exact: true }).fill(`${date}T14:30`);
  await doctor.getByLabel('Lịch hội chẩn', { exact: true }).blur();
  await doctor.getByTestId('schedule-consultation').click();
  await expect(doctor.getByTestId('scheduled')).toBeVisible();
  await synced(doctor);
  await doctor.goto('/');
  await expect(doctor.getByTestId('consultation-reminder').filter({ hasText: name })).toContainText('Hội chẩn lúc 14:30 ngày mai', { timeout: 30_000 });
  await station.goto('/');
  await expect(station.getByTestId('consultation-reminder').filter({ hasText: name })).toContainText('Hội chẩn lúc 14:30 ngày mai', { timeout: 30_000 });
  await doctor.goto('/calendar');
  await doctor.getByLabel('Ngày', { exact: true }).fill(date);
  await expect(doctor.getByTestId('day-consultation').filter({ hasText: name })).toContainText('Đã xếp lịch');
  await doctor.screenshot({ path: 'e2e/screenshots/calendar-pc.png', fullPage: true });

  await doctorCtx.close();
  await stationCtx.close();
});
