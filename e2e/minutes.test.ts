// The consultation minutes (M7, issue 11): on a scheduled consultation the station (a 360×640 phone) opens the
// minutes, prefilled from its request and the review, and the upper unit's doctor (a PC) writes in them too; each
// sees the other's words as they are typed, and who is writing in which field. The station loses its link and both type in the same field: after it
// comes back both sentences are there, on both screens. The minutes print as a PDF.
// Then they are signed (criterion 61): the chair at the station, the secretary at the district, each with a PKCS#12
// file made by the test; pdfsig finds both signatures valid; the minutes are locked — a word the doctor typed offline
// meanwhile is refused by the server, not lost but set aside — and the station writes a correction, a new version.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeTestP12 } from '../packages/signing/signing.testing';
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

  // Signing. Each signer's certificate file, made by the test (the key never leaves the file and this device).
  const dir = mkdtempSync(path.join(tmpdir(), 'e2e-sign-'));
  const p12 = (who: string, file: string) => {
    const made = makeTestP12(who, 'Mat-khau-2026');
    writeFileSync(path.join(dir, file), made.file);
    return path.join(dir, file);
  };
  const chairFile = p12('Lý Thị Mai', 'chu-toa.p12');
  const secretaryFile = p12('Nguyễn Văn Hùng', 'thu-ky.p12');
  const signAs = async (page: typeof station, role: string, file: string, password: string) => {
    const box = page.getByTestId('signing');
    await box.getByLabel('Ký với vai trò').selectOption(role);
    await page.getByTestId('sign-file').setInputFiles(file);
    await box.getByLabel('Mật khẩu tệp chữ ký số').fill(password);
    await page.getByTestId('sign-record').click();
  };

  // Signing waits for the minutes to be marked completed (the first signature locks them).
  await expect(station.getByTestId('signing-blocked')).toBeVisible();
  await station.getByTestId('minutes-completed').check();
  await synced(station);
  await expect(doctor.getByTestId('minutes-completed')).toBeChecked({ timeout: 30_000 });

  // The doctor's link drops and the doctor goes on typing: the station signs meanwhile.
  await goOffline(doctorCtx, doctor);
  await doctorConclusion.press('Control+End');
  await doctorConclusion.pressSequentially(' Thêm sau.');
  // A wrong password is said, and nothing is signed.
  await signAs(station, 'chair', chairFile, 'sai-mat-khau');
  await expect(station.getByTestId('signing-problem')).toHaveText('Sai mật khẩu tệp chữ ký số.', { timeout: 30_000 });
  await signAs(station, 'chair', chairFile, 'Mat-khau-2026');
  await expect(station.getByTestId('signatures')).toContainText('Lý Thị Mai — Chủ tọa', { timeout: 60_000 });
  await expect(station.getByTestId('minutes-locked')).toBeVisible();
  await expect(stationConclusion).toBeDisabled();

  // Back online, the doctor's offline words are refused (the minutes were signed first), kept aside, and the screen
  // shows the signed minutes, locked.
  await doctorCtx.setOffline(false);
  await expect(doctor.getByTestId('minutes-locked')).toBeVisible({ timeout: 30_000 });
  await expect(doctor.getByTestId('sync-state')).toContainText('bị máy chủ từ chối', { timeout: 30_000 });
  await expect(doctorConclusion).toHaveValue(merged, { timeout: 30_000 });
  await expect(doctorConclusion).toBeDisabled();

  // The secretary signs over the chair's signature.
  await signAs(doctor, 'secretary', secretaryFile, 'Mat-khau-2026');
  await expect(doctor.getByTestId('signatures')).toContainText('Nguyễn Văn Hùng — Thư ký', { timeout: 60_000 });
  await expect(station.getByTestId('signatures')).toContainText('Nguyễn Văn Hùng — Thư ký', { timeout: 30_000 });

  // The verify view: both signatures intact, the file the record names.
  await doctor.getByTestId('verify-signatures').click();
  await expect(doctor.getByTestId('signature-check')).toHaveCount(2, { timeout: 30_000 });
  await expect(doctor.getByTestId('signature-checks')).toContainText('Tệp đã ký đúng là tệp');
  await expect(doctor.getByTestId('signature-check').nth(0)).toContainText('Lý Thị Mai (Chủ tọa): chữ ký hợp lệ, tài liệu nguyên vẹn');
  await expect(doctor.getByTestId('signature-check').nth(1)).toContainText('Nguyễn Văn Hùng (Thư ký): chữ ký hợp lệ, tài liệu nguyên vẹn');
  await doctor.screenshot({ path: 'e2e/screenshots/minutes-signed-pc.png', fullPage: true });

  // The signed PDF, downloaded: poppler's pdfsig finds both signatures valid.
  const [signedDownload] = await Promise.all([doctor.waitForEvent('download'), doctor.getByTestId('download-signed').click()]);
  expect(signedDownload.suggestedFilename()).toMatch(/-da-ky\.pdf$/);
  let report: string;
  try {
    report = execFileSync('pdfsig', [(await signedDownload.path())!], { encoding: 'utf8' });
  } catch (err) {
    report = String((err as { stdout?: string }).stdout ?? ''); // exit code ≠ 0: the test certificates are not trusted
  }
  expect(report.match(/Signature is Valid/g)).toHaveLength(2);

  // The station corrects the signed minutes: a new version, with everything the signed one says, editable.
  await station.getByTestId('correct-minutes').click();
  await expect(station.getByTestId('minutes-version')).toContainText('Bản sửa lần 2', { timeout: 20_000 });
  await expect(stationConclusion).toBeEditable({ timeout: 20_000 });
  await expect(stationConclusion).toHaveValue(merged);
  await expect(station.getByTestId('minutes-locked')).toHaveCount(0);
  await expect(station.getByTestId('signatures')).toHaveCount(0);
  await station.screenshot({ path: 'e2e/screenshots/minutes-correction-phone.png', fullPage: true });

  await stationCtx.close();
  await doctorCtx.close();
});
