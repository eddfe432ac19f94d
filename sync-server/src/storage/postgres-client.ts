// The PostgreSQL client connection (the `postgres` package), shared by every storage module.
import postgres from 'postgres';

export type Sql = postgres.Sql;

/** `maxConnections` must be 1 for embedded PGlite (see embedded-postgres.ts). */
export function connectPostgres(url: string, maxConnections: number): Sql {
  return postgres(url, { max: maxConnections, onnotice: () => {}, connect_timeout: 10 });
}
