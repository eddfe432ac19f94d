// What the global setup provides to every test file through inject().
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A real PostgreSQL server for the run; tests create their own databases on it. */
    databaseUrl: string;
  }
}
