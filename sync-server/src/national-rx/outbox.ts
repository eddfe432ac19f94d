// The outbox of issued prescriptions to the national prescription system (M10): each is sent exactly once.
//
// The update that issues a prescription and its outbox row are written in one transaction (LogWrite.outbox), so an
// issued prescription is never forgotten and never queued twice. The runner takes due rows under a lease (a row
// being sent is not due for `leaseMs`; `for update skip locked` keeps two nodes off the same row), builds the
// payload from the prescription's and the chart's state in the log, sends it, and records the answer: sent (with
// the system's answer), rejected (with its field errors: sending again would not help), or not received (sent again
// later, backing off from 15 s to an hour). The code is the idempotency key: if the server stops between the
// system's answer and the record of it, the row is sent again after its lease and the system answers "already
// received" for the same content, which counts as sent.
import { readFields, type Fields, type NationalRxRow, type NationalRxState } from '@telehealth/domain';
import type { Logger } from '../log';
import type { Sql } from '../storage/postgres-client';
import type { Storage } from '../storage/storage';
import type { NationalRxClient } from './client';
import { nationalPrescription } from './payload';
import { readState } from '../sync/content-policy';
import { Periodic } from '../periodic';

export const outboxTiming = { baseMs: 15_000, maxMs: 3_600_000, leaseMs: 5 * 60_000, intervalMs: 10_000, batch: 20 } as const;

export type OutboxState = NationalRxState;
export type OutboxRow = NationalRxRow;

type OutboxDb = {
  code: string;
  doc_id: string;
  unit_id: string;
  patient_id: string;
  state: OutboxState;
  attempts: number;
  next_at: Date;
  last_error: string | null;
  errors: string | null;
  queued_at: Date;
  sent_at: Date | null;
};

const toRow = (r: OutboxDb): OutboxRow => ({
  code: r.code,
  docId: r.doc_id,
  unitId: r.unit_id,
  patientId: r.patient_id,
  state: r.state,
  attempts: r.attempts,
  nextAt: r.next_at.toISOString(),
  lastError: r.last_error,
  errors: r.errors ? (JSON.parse(r.errors) as OutboxRow['errors']) : [],
  queuedAt: r.queued_at.toISOString(),
  sentAt: r.sent_at ? r.sent_at.toISOString() : null
});

/** The wait before attempt `attempts + 1`: doubling from `baseMs`, at most `maxMs`, spread by `random` (half to all of it). */
export function backoffMs(attempts: number, random: () => number, timing: { baseMs: number; maxMs: number } = outboxTiming): number {
  const full = Math.min(timing.maxMs, timing.baseMs * 2 ** Math.min(attempts, 30));
  return Math.round(full * (0.5 + random() / 2));
}

export type RxOutboxOptions = {
  sql: Sql;
  storage: Storage;
  client: NationalRxClient;
  log: Logger;
  now?: () => number;
  random?: () => number;
  intervalMs?: number;
  /** The first wait after a failed send (doubling up to `outboxTiming.maxMs`). */
  retryBaseMs?: number;
};

export class RxOutbox {
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly periodic = new Periodic(
    () => this.runOnce(),
    (err) => this.o.log.error('rx_outbox.failed', { error: String(err) })
  );

  constructor(private readonly o: RxOutboxOptions) {
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
  }

  start() {
    this.periodic.start(this.o.intervalMs ?? outboxTiming.intervalMs);
  }

  /** Sends what is due now (called on a timer and after new entries were committed). */
  poke() {
    this.periodic.poke();
  }

  stop() {
    return this.periodic.stop();
  }

  /** One pass: takes the due rows under a lease and sends each. Returns how many it tried. */
  async runOnce(): Promise<number> {
    const { sql } = this.o;
    const now = new Date(this.now());
    const due = await sql<OutboxDb[]>`
      update prescription_outbox set next_at = ${new Date(now.getTime() + outboxTiming.leaseMs)}
      where code in (
        select code from prescription_outbox where state = 'pending' and next_at <= ${now}
        order by next_at limit ${outboxTiming.batch} for update skip locked)
      returning *`;
    for (const row of due) await this.sendOne(toRow(row));
    return due.length;
  }

  private async sendOne(row: OutboxRow) {
    const { sql, log } = this.o;
    const [rxDoc, chart] = await Promise.all([readState(this.o.storage.log, row.docId), readState(this.o.storage.log, `patient:${row.patientId}`)]);
    const rx = readFields(rxDoc.getMap('prescription'));
    const patient: Fields = readFields(chart.getMap('patient'));
    rxDoc.destroy();
    chart.destroy();
    const replaces = typeof rx.replacesId === 'string' ? (await sql<{ code: string }[]>`select code from prescription_outbox where doc_id = ${`prescription:${rx.replacesId}`}`)[0]?.code : undefined;
    const outcome = await this.o.client.send(nationalPrescription(rx, patient, row.code.slice(0, 5), replaces));
    const at = new Date(this.now());
    if (outcome.kind === 'sent') {
      await sql`update prescription_outbox set state = 'sent', sent_at = ${at}, answer = ${outcome.answer}, last_error = null, attempts = attempts + 1 where code = ${row.code}`;
      log.info('rx_outbox.sent', { code: row.code, docId: row.docId, attempts: row.attempts + 1 });
    } else if (outcome.kind === 'rejected') {
      await sql`update prescription_outbox set state = 'rejected', errors = ${JSON.stringify(outcome.errors)}, last_error = ${outcome.errors.map((e) => `${e.field}: ${e.message}`).join('; ').slice(0, 1_000)}, attempts = attempts + 1 where code = ${row.code}`;
      log.warn('rx_outbox.rejected', { code: row.code, docId: row.docId, errors: outcome.errors.length });
    } else {
      const next = new Date(at.getTime() + backoffMs(row.attempts, this.random, { baseMs: this.o.retryBaseMs ?? outboxTiming.baseMs, maxMs: outboxTiming.maxMs }));
      await sql`update prescription_outbox set attempts = attempts + 1, next_at = ${next}, last_error = ${outcome.reason.slice(0, 1_000)} where code = ${row.code}`;
      log.warn('rx_outbox.retry', { code: row.code, docId: row.docId, attempts: row.attempts + 1, reason: outcome.reason, nextAt: next.toISOString() });
    }
  }

  /** A unit's prescriptions in the outbox, newest first (the station's sent / pending / rejected list). */
  async list(unitId: string, limit = 500): Promise<OutboxRow[]> {
    const rows = await this.o.sql<OutboxDb[]>`select * from prescription_outbox where unit_id = ${unitId} order by queued_at desc limit ${limit}`;
    return rows.map(toRow);
  }
}
