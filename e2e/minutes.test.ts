// The consultation minutes (M7, issue 11): on a scheduled consultation the station (a 360×640 phone) opens the
// minutes, prefilled from its request and the review, and the upper unit's doctor (a PC) writes in them too; each
// sees the other's words as they are typed, and who is writing in which field. The station loses its link and both type in the same field: after it
// comes back both sentences are there, on both screens. The minutes print as a PDF.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { goOffline, scheduledConsultation, synced } from './helpers';


test('the station and the doctor write the minutes together, offline too, and print them', async ({ browser }) => {
  test.setTimeout(240_000);
  const name = `Lù Thị Biên ${String(Date.now()).slice(-5)}`;
  const stationCtx = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const doctorCtx = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const station = await stationCtx.newPage();
  const doctor = await doctorCtx.newPage();

  // A consultation request sent to the district centre…
  const requestUrl = await scheduledConsultation(station, doctor, { name, reason: 'Sốt cao kéo dài, xin ý kiến điều trị.', review: 'Nghi viêm phổi, cần hội chẩn.' });

  // The station opens the minutes from the scheduled request: prefilled from the request and the review.
  await station.goto(requestUrl);
  await station.getByTestId('open-minutes').click({ timeout: 30_000 });
  const stationConclusion = station.getByTestId('minutes-conclusion');
  await expect(stationConclusion).toBeEditable({ timeout: 20_000 });
  await expect(station.getByTestId('minutes-reason')).toHaveValue('Sốt cao kéo dài, xin ý kiến điều trị.');
  await expect(station.getByTestId('minutes-diagnosisCausePrognosis')).toHaveValue('Nghi viêm phổi, cần hội chẩn.');
  await expect(station.getByTestId('participants')).toContainText('Chủ tọa');
  await stationConclusion.click();
  await stationConclusion.pressSequentially('Viêm phổi.');
  await synced(station);

  // The doctor opens them from the request, sees the station's words and types before them: the station sees it.
  await doctor.reload();
  await doctor.getByTestId('open-minutes').click();
  const doctorConclusion = doctor.getByTestId('minutes-conclusion');
  await expect(doctorConclusion).toHaveValue('Viêm phổi.', { timeout: 30_000 });
  await doctorConclusion.click();
  // Presence: the station sees that the doctor is in the minutes, in this very field.
  await expect(station.getByTestId('minutes-present')).toContainText('Hùng', { timeout: 20_000 });
  await expect(station.getByTestId('present-conclusion')).toContainText('Hùng', { timeout: 20_000 });
  await doctorConclusion.press('Control+Home');
  await doctorConclusion.pressSequentially('Kết luận: ');
  await expect(stationConclusion).toHaveValue('Kết luận: Viêm phổi.', { timeout: 30_000 });

  // The station's link drops; both type in the same field, the doctor at its start, the station at its end.
  await goOffline(stationCtx, station);
  await stationConclusion.click();
  await stationConclusion.press('Control+End');
  await stationConclusion.pressSequentially(' Điều trị tại TYT.');
  await doctorConclusion.press('Control+Home');
  await doctorConclusion.pressSequentially('Đồng ý. ');
  await synced(doctor);
  await expect(stationConclusion).toHaveValue('Kết luận: Viêm phổi. Điều trị tại TYT.');
  await station.screenshot({ path: 'e2e/screenshots/minutes-phone.png' });

  // Back online: both sentences on both screens.
  await stationCtx.setOffline(false);
  const merged = 'Đồng ý. Kết luận: Viêm phổi. Điều trị tại TYT.';
  await expect(stationConclusion).toHaveValue(merged, { timeout: 30_000 });
  await expect(doctorConclusion).toHaveValue(merged, { timeout: 30_000 });
  await synced(station);

  // The minutes print as a PDF.
  const [download] = await Promise.all([doctor.waitForEvent('download'), doctor.getByTestId('print-minutes').click()]);
  expect(download.suggestedFilename()).toMatch(/^bien-ban-hoi-chan-Lu-Thi-Bien-\d+-\d\d-\d\d-\d{4}\.pdf$/);
  const bytes = readFileSync((await download.path())!);
  expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
  await expect(doctor.getByTestId('minutes-unprintable')).toHaveCount(0);
  await doctor.screenshot({ path: 'e2e/screenshots/minutes-pc.png', fullPage: true });

  await stationCtx.close();
  await doctorCtx.close();
});
