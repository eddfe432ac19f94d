// The PostgreSQL client connection (the `postgres` package), shared by every storage module.
import postgres from 'postgres';

export type Sql = postgres.Sql;

/** `maxConnections` must be 1 for embedded PGlite (see embedded-postgres.ts). */
/** A `host` parameter that is a folder (`?host=/run/pg`) means the server's Unix socket in that folder, as in libpq. */
export function connectPostgres(url: string, maxConnections: number): Sql {
  const u = new URL(url);
  const socketDir = u.searchParams.get('host');
  const options = { max: maxConnections, onnotice: () => {}, connect_timeout: 10 };
  if (!socketDir?.startsWith('/')) return postgres(url, options);
  u.searchParams.delete('host');
  return postgres(u.toString(), { ...options, path: `${socketDir}/.s.PGSQL.${u.port || 5432}` });
}
