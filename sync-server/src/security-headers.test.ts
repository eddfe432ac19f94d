// Every response of the Node server, app page or API answer, carries the security headers; the CSP allows the
// built pages' own inline bootstrap by hash and nothing from another origin.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { listen } from './server';
import { securityHeaders } from './security-headers';

describe('security headers', () => {
  it('are on app pages and API answers alike, with the inline bootstrap allowed by its hash only', async () => {
    const build = mkdtempSync(path.join(tmpdir(), 'build-'));
    mkdirSync(path.join(build, 'prerendered', 'nested'), { recursive: true });
    const bootstrap = '\n  __sveltekit_x = {};\n  import("/_app/start.js");\n';
    writeFileSync(path.join(build, 'prerendered', 'index.html'), `<html><head><script type="module" src="/_app/a.js"></script></head><body><script>${bootstrap}</script></body></html>`);
    writeFileSync(path.join(build, 'prerendered', 'nested', 'page.html'), `<script>${bootstrap}</script>`);
    const api = new Hono().get('/api/x', (c) => c.json({ error: 'not_found' }, 404));
    const server = await listen(
      { fetch: api.fetch, headers: securityHeaders(build), appHandler: (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>') },
      '127.0.0.1',
      0
    );
    try {
      for (const url of ['/', '/patients', '/api/x']) {
        const res = await fetch(server.url + url);
        const csp = res.headers.get('content-security-policy') ?? '';
        const hash = `'sha256-${createHash('sha256').update(bootstrap).digest('base64')}'`;
        expect(csp.split('; ')).toEqual(expect.arrayContaining([`script-src 'self' ${hash}`, "connect-src 'self'", "img-src 'self' blob: data:", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"]));
        expect(csp).not.toMatch(/https?:|\*|'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
        expect([res.headers.get('referrer-policy'), res.headers.get('x-content-type-options')]).toEqual(['no-referrer', 'nosniff']);
      }
    } finally {
      await server.close();
    }
  });
});
