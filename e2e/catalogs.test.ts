// The ICD-10 catalog comes from the server with a version, and is kept on the device for use offline.
import { expect, test } from '@playwright/test';
import { logIn } from './helpers';

test('the device uses the server\'s ICD-10 catalog version, and still after an offline reload', async ({ page, context }) => {
  const { catalogs } = (await (await page.request.get('/api/catalogs')).json()) as { catalogs: { name: string; version: string }[] };
  const version = catalogs.find((c) => c.name === 'icd10')!.version;
  await logIn(page, 'tram.yty', 'yty-demo-2025');
  await page.getByRole('link', { name: 'Cài đặt' }).click();
  await expect(page.getByTestId('catalog-icd10')).toContainText(`phiên bản ${version} từ máy chủ`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('catalog-icd10')).toContainText(`phiên bản ${version} từ máy chủ`);
  await context.setOffline(false);
});
