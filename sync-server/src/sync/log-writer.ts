// Group commit: updates from every connection are appended in batches, one transaction per batch;
// each caller's promise resolves once its update is durable.
import type { Logger } from '../log';
import type { LogStorage, LogWrite, LogWriteResult, Revocation } from '../storage/storage';

/** A committed entry, with the read access it granted and took back. */
export type LogEvent = {
  seq: number;
  docId: string;
  origin: string | null;
  data: Uint8Array;
  grants: { reader: string; docId: string; visSeq: number }[];
  revoked: Revocation[];
};

type Pending = { write: LogWrite; resolve(r: LogWriteResult): void; reject(err: unknown): void };

const maxBatch = 500;

export function createLogWriter(log: LogStorage, onCommitted: (events: LogEvent[]) => void, logger: Logger) {
  let queue: Pending[] = [];
  let running: Promise<void> | undefined;

  async function drain() {
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await log.append(batch.map((p) => p.write));
        const events: LogEvent[] = [];
        results.forEach((r, i) => {
          const p = batch[i]!;
          if (r.ok) {
            events.push({
              seq: r.seq,
              docId: p.write.docId,
              origin: p.write.origin,
              data: p.write.data,
              grants: r.newAccess.filter((a) => a.visSeq > 0),
              revoked: r.revoked
            });
          }
          p.resolve(r);
        });
        onCommitted(events);
      } catch (err) {
        logger.error('log.append_failed', { error: String(err), batch: batch.length });
        for (const p of batch) p.reject(err);
      }
    }
    running = undefined;
  }

  return {
    write(write: LogWrite): Promise<LogWriteResult> {
      return new Promise((resolve, reject) => {
        queue.push({ write, resolve, reject });
        running ??= drain();
      });
    },
    /** Resolves when everything queued so far is written. */
    async flush() {
      while (running) await running;
    }
  };
}
export type LogWriter = ReturnType<typeof createLogWriter>;
