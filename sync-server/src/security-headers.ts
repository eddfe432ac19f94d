// Security headers on every response of the Node server (API and app, one origin). The Content-Security-Policy
// allows only this origin; the inline bootstrap script SvelteKit writes into each prerendered page is allowed by
// its hash, computed here from the built pages (a rebuilt app gets its new hashes at the next start).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** sha256 sources of the inline scripts in the built pages (build/prerendered/**.html). */
export function inlineScriptHashes(buildDir: string): string[] {
  const root = path.join(buildDir, 'prerendered');
  if (!existsSync(root)) return [];
  const hashes = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.html')) {
        for (const m of readFileSync(file, 'utf8').matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
          hashes.add(`'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
        }
      }
    }
  };
  walk(root);
  return [...hashes].sort();
}

export function securityHeaders(buildDir: string): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${inlineScriptHashes(buildDir).join(' ')}`.trim(),
    // Svelte sets a few style attributes (display: contents); no style sheet comes from elsewhere.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    // The API and the sync WebSocket are on this origin ('self' covers ws:/wss: of the same host).
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'"
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY'
  };
}
