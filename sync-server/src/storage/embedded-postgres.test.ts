// The embedded database is reachable only through a Unix socket in a folder of mode 700: no loopback port that
// any local process could open without a password.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded-postgres';
import { connectPostgres } from './postgres-client';

describe('embedded PostgreSQL', () => {
  it('listens on a Unix socket in a private folder, and answers queries there', async () => {
    const embedded = await startEmbeddedPostgres(undefined);
    try {
      const url = new URL(embedded.url);
      const folder = url.searchParams.get('host')!;
      expect(folder).toMatch(/^\//);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      expect(statSync(`${folder}/.s.PGSQL.${url.port}`).isSocket()).toBe(true);
      const sql = connectPostgres(embedded.url, 1);
      expect((await sql`select 1 + 1 as two`)[0]).toEqual({ two: 2 });
      await sql.end();
    } finally {
      await embedded.stop();
    }
  });
});
