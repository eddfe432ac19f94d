// Types for postgres.mjs.
export function findPostgresBin(): string | undefined;
export function startThrowawayPostgres(): Promise<{ url: string; stop(): void }>;
export function freePort(): Promise<number>;
