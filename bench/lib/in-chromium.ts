// Runs code of the project in Debian's Chromium for a benchmark: `source` (TypeScript importing from the repository,
// as the app's bundler would) is bundled with esbuild and served on a page of its own on http://localhost (a secure
// context, so WebCrypto works; nothing on the network), then `use` drives the page, with CDP for the CPU slowdown.
import { build } from 'esbuild';
import path from 'node:path';
import { chromium, type CDPSession, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');

export async function inChromium<T>(source: string, use: (page: Page, cdp: CDPSession) => Promise<T>): Promise<T> {
  const bundle = await build({ stdin: { contents: source, resolveDir: root, loader: 'ts' }, bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent' });
  const script = bundle.outputFiles[0]!.text.replace(/<\/script/gi, '<\\/script');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    await page.route('http://localhost/bench', (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><meta charset="utf-8"><script>${script}</script>` }));
    await page.goto('http://localhost/bench');
    return await use(page, await page.context().newCDPSession(page));
  } finally {
    await browser.close();
  }
}
