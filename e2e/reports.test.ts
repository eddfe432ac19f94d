// Reports 5A–5D (M11): a patient books; the station reads report 5C with the network off (computed on its device)
// and downloads it as CSV (UTF-8 with a BOM, the seed's Vietnamese headers); the Department of Health's administrator
// reads the same numbers from the server and downloads them as an Excel workbook; a patient has no report screen.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import readExcelFile from 'read-excel-file/node';
import { goOffline, localInput, logIn } from './helpers';

async function synced(page: Page) {
  await expect(page.getByTestId('sync-state')).toContainText('Đã đồng bộ', { timeout: 30_000 });
  await expect(page.getByTestId('sync-pending')).toHaveCount(0, { timeout: 30_000 });
}

const day = (d: Date) => localInput(d).slice(0, 10);

test('a station reads report 5C offline and downloads it; the department reads the same from the server', async ({ browser }) => {
  const now = new Date();
  const tomorrow = new Date(now.getTime() + 24 * 3600 * 1000);
  const period = { from: day(now), to: day(new Date(now.getTime() + 2 * 24 * 3600 * 1000)) };

  // A patient books a visit for tomorrow at Y Tý.
  const phoneCtx = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const phone = await phoneCtx.newPage();
  await logIn(phone, '0912345678', 'benhnhan-demo-2025');
  await synced(phone);
  await expect(phone.getByRole('link', { name: 'Báo cáo thống kê' })).toHaveCount(0);
  await phone.getByTestId('book-link').click();
  await phone.getByLabel('Ngày sinh').fill('1992-03-14');
  await phone.getByLabel('Giới tính').selectOption('female');
  await phone.getByLabel('Ngày hẹn, giờ hẹn').fill(localInput(tomorrow));
  await phone.getByLabel('Tôi đồng ý tham gia tư vấn khám chữa bệnh từ xa.').check();
  await phone.getByTestId('book-submit').click();
  await expect(phone.getByTestId('booked')).toBeVisible();
  await synced(phone);

  // The station, offline, computes 5C from its own records.
  const stationCtx = await browser.newContext();
  const station = await stationCtx.newPage();
  await logIn(station, 'tram.yty', 'yty-demo-2025');
  await synced(station);
  // The app is stored for offline use (the report screen and the communes' catalog with it).
  await station.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  await goOffline(stationCtx, station);
  await station.getByRole('link', { name: 'Báo cáo thống kê' }).click();
  await station.getByTestId('reports-table').selectOption('5c');
  await station.getByTestId('reports-from').fill(period.from);
  await station.getByTestId('reports-to').fill(period.to);
  await station.getByTestId('reports-show').click();
  const table = station.getByTestId('report-table');
  await expect(table).toBeVisible();
  await expect(table.locator('thead')).toContainText('Tổng số lịch hẹn khám');
  const row = table.locator('tbody tr').filter({ hasText: 'Trạm Y tế xã Y Tý' }).filter({ hasText: 'Nữ' });
  // STT, province, district, commune, unit, gender, total, new, done, waiting, cancelled.
  await expect(row.locator('td').nth(6)).toHaveText('1');
  await expect(row.locator('td').nth(7)).toHaveText('1');
  await expect(row.locator('td').nth(1)).toHaveText('Lào Cai');

  const [download] = await Promise.all([station.waitForEvent('download'), station.getByTestId('reports-csv').click()]);
  expect(download.suggestedFilename()).toBe(`bao-cao-5c_${period.from}_${period.to}.csv`);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.startsWith('\uFEFFSTT,"Tỉnh, thành phố",Quận huyện,"Xã, phường",Tên đơn vị,Giới tính,Tổng số lịch hẹn khám')).toBe(true);
  expect(csv).toMatch(/\r\n1,Lào Cai,,[^,]*,Trạm Y tế xã Y Tý,Nữ,1,1,0,0,0\r\n/);

  // A period that starts after the reform takes no district; a period backwards is refused, saying which field.
  await station.getByTestId('reports-from').fill(period.to);
  await station.getByTestId('reports-to').fill(period.from);
  await station.getByTestId('reports-show').click();
  await expect(station.getByTestId('reports-problem')).toContainText('Đến ngày');

  // The Department of Health's administrator reads the server's numbers for its province: the same.
  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await logIn(admin, 'admin', 'admin-demo-2025');
  await admin.getByRole('link', { name: 'Báo cáo thống kê' }).click();
  await admin.getByTestId('reports-table').selectOption('5c');
  await admin.getByTestId('reports-from').fill(period.from);
  await admin.getByTestId('reports-to').fill(period.to);
  await admin.getByTestId('reports-show').click();
  const adminRow = admin.getByTestId('report-table').locator('tbody tr').filter({ hasText: 'Trạm Y tế xã Y Tý' }).filter({ hasText: 'Nữ' });
  await expect(adminRow.locator('td').nth(6)).toHaveText('1', { timeout: 20_000 });
  await expect(adminRow.locator('td').nth(7)).toHaveText('1');
  // Its totals as a chart (Chart.js, loaded with the report screen), the numbers in the chart's label.
  await expect(admin.getByTestId('report-chart')).toHaveAttribute('aria-label', /Tổng số lịch hẹn khám: [1-9]/);
  expect(await admin.getByTestId('report-chart').locator('canvas').evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0)).toBe(true);
  // The same as an Excel workbook: the row's cells, counts as numbers.
  const [xlsx] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('reports-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toBe(`bao-cao-5c_${period.from}_${period.to}.xlsx`);
  const [sheet] = await readExcelFile(readFileSync((await xlsx.path())!));
  expect(sheet!.data[0]!.slice(0, 7)).toEqual(['STT', 'Tỉnh, thành phố', 'Quận huyện', 'Xã, phường', 'Tên đơn vị', 'Giới tính', 'Tổng số lịch hẹn khám']);
  const cells = sheet!.data.find((r) => r[4] === 'Trạm Y tế xã Y Tý' && r[5] === 'Nữ');
  expect(cells?.slice(6)).toEqual([1, 1, 0, 0, 0]);
  // And printed: a PDF of the same table.
  const [pdf] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('reports-pdf').click()]);
  expect(pdf.suggestedFilename()).toBe(`bao-cao-5c_${period.from}_${period.to}.pdf`);
  const printed = readFileSync((await pdf.path())!);
  expect(printed.subarray(0, 5).toString()).toBe('%PDF-');
  writeFileSync('e2e/screenshots/report-5c.pdf', printed);

  await phoneCtx.close();
  await stationCtx.close();
  await adminCtx.close();
});
