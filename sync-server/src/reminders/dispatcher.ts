// Reminders to patients, from the server (M9, criterion 68): each reminder of a chart that comes due is pushed to the
// patient's phones (Web Push, the reminder's id only) and, where the station asked for it, sent by SMS. The phone
// shows reminders from its synced chart on its own (app/lib/reminders/); the push wakes a phone whose app is closed,
// the SMS reaches a phone without the app. Every channel's outcome is a row of `reminder_deliveries`: sent; queued
// (with its next attempt and why: a gateway down, none configured); failed (no phone number, or too many attempts);
// none (no phone of the patient subscribed to push). The station reads them on the chart: a due reminder is either
// delivered or visibly waiting. Each channel of a reminder is leased before it is attempted (`claim`), so that with
// several nodes running the dispatcher a reminder still goes out once.
import { readRecord, smsText, patterns } from '@telehealth/domain';
import type { Logger } from '../log';
import type { Sql } from '../storage/postgres-client';
import type { Storage } from '../storage/storage';
import { backoffMs } from '../national-rx/outbox';
import { readState } from '../sync/content-policy';
import type { PushSender } from './push';
import type { SmsGateway } from './sms';
import { Periodic } from '../periodic';

export const reminderTiming = {
  intervalMs: 60_000,
  /** A reminder due longer ago than this is not sent any more (the phone lists it when the app runs). */
  lateMs: 2 * 86_400_000,
  /** How long a push service keeps a push for a phone that is off. */
  pushTtlSeconds: 12 * 3600,
  retryBaseMs: 60_000,
  retryMaxMs: 3_600_000,
  maxAttempts: 8,
  batch: 200,
  /** A delivery being attempted is not due again for this long (another node skips it meanwhile). */
  leaseMs: 5 * 60_000
} as const;

export type DeliveryStatus = 'sent' | 'queued' | 'failed' | 'none';
export type Channel = 'push' | 'sms';
export type Delivery = { reminderId: string; channel: Channel; status: DeliveryStatus; attempts: number; nextAt: string | null; lastError: string | null; updatedAt: string };

type DueRow = {
  doc_id: string;
  reminder_id: string;
  unit_id: string;
  patient_id: string;
  due_at: Date;
  sms: boolean;
  sms_plain: boolean;
  title: string;
  body: string | null;
  push_status: DeliveryStatus | null;
  push_attempts: number | null;
  sms_status: DeliveryStatus | null;
  sms_attempts: number | null;
};

export type DispatcherOptions = {
  sql: Sql;
  storage: Storage;
  log: Logger;
  push?: PushSender;
  sms?: SmsGateway;
  now?: () => number;
  random?: () => number;
  intervalMs?: number;
};

export class ReminderDispatcher {
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly periodic = new Periodic(
    () => this.tick(),
    (err) => this.o.log.error('reminders.failed', { error: String(err) })
  );

  constructor(private readonly o: DispatcherOptions) {
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
  }

  get pushPublicKey(): string | undefined {
    return this.o.push?.publicKey;
  }

  start() {
    this.periodic.start(this.o.intervalMs ?? reminderTiming.intervalMs);
  }

  poke() {
    this.periodic.poke();
  }

  stop() {
    return this.periodic.stop();
  }

  /** One pass over what is due: returns what it did, by channel and outcome. */
  async tick(): Promise<Record<`${Channel}.${DeliveryStatus}`, number>> {
    const { sql } = this.o;
    const now = new Date(this.now());
    const counts = { 'push.sent': 0, 'push.queued': 0, 'push.failed': 0, 'push.none': 0, 'sms.sent': 0, 'sms.queued': 0, 'sms.failed': 0, 'sms.none': 0 };
    const due = await sql<DueRow[]>`
      select r.doc_id, r.reminder_id, r.unit_id, r.patient_id, r.due_at, r.sms, r.sms_plain, r.title, r.body,
        p.status as push_status, p.attempts as push_attempts, s.status as sms_status, s.attempts as sms_attempts
      from proj_reminders r
      left join reminder_deliveries p on p.doc_id = r.doc_id and p.reminder_id = r.reminder_id and p.channel = 'push'
      left join reminder_deliveries s on s.doc_id = r.doc_id and s.reminder_id = r.reminder_id and s.channel = 'sms'
      where not r.cancelled and r.due_at <= ${now} and r.due_at > ${new Date(now.getTime() - reminderTiming.lateMs)}
        and ((p.status is null or (p.status = 'queued' and p.next_at <= ${now}))
          or (r.sms and (s.status is null or (s.status = 'queued' and s.next_at <= ${now}))))
      order by r.due_at limit ${reminderTiming.batch}`;
    const units = new Map((await this.o.storage.listUnits()).map((u) => [u.id, u.name]));
    for (const r of due) {
      if ((r.push_status === null || r.push_status === 'queued') && (await this.claim(r, 'push', now))) {
        const status = await this.pushOne(r, now);
        counts[`push.${status}`]++;
      }
      if (r.sms && (r.sms_status === null || r.sms_status === 'queued') && (await this.claim(r, 'sms', now))) {
        const status = await this.smsOne(r, now, units.get(r.unit_id) ?? r.unit_id);
        counts[`sms.${status}`]++;
      }
    }
    if (due.length) this.o.log.info('reminders.dispatched', counts);
    return counts;
  }

  /**
   * Takes one channel of a reminder for this node: a lease (the row queued, not due again for `leaseMs`) that one
   * statement grants to one node only, so that with several nodes a reminder is still sent once.
   */
  private async claim(r: DueRow, channel: Channel, now: Date): Promise<boolean> {
    const lease = new Date(now.getTime() + reminderTiming.leaseMs);
    const attempts = (channel === 'push' ? r.push_attempts : r.sms_attempts) ?? 0;
    const rows = await this.o.sql`
      insert into reminder_deliveries (doc_id, reminder_id, channel, status, attempts, next_at, last_error, updated_at)
      values (${r.doc_id}, ${r.reminder_id}, ${channel}, 'queued', ${attempts}, ${lease}, null, ${now})
      on conflict (doc_id, reminder_id, channel) do update set next_at = excluded.next_at, updated_at = excluded.updated_at
        where reminder_deliveries.status = 'queued' and reminder_deliveries.next_at <= ${now} and reminder_deliveries.attempts = ${attempts}
      returning reminder_id`;
    return rows.length === 1;
  }

  private async record(r: DueRow, channel: Channel, status: DeliveryStatus, attempts: number, now: Date, error?: string): Promise<DeliveryStatus> {
    const final = status === 'queued' && attempts >= reminderTiming.maxAttempts ? 'failed' : status;
    const nextAt = final === 'queued' ? new Date(now.getTime() + backoffMs(attempts - 1, this.random, { baseMs: reminderTiming.retryBaseMs, maxMs: reminderTiming.retryMaxMs })) : null;
    await this.o.sql`
      insert into reminder_deliveries (doc_id, reminder_id, channel, status, attempts, next_at, last_error, updated_at)
      values (${r.doc_id}, ${r.reminder_id}, ${channel}, ${final}, ${attempts}, ${nextAt}, ${error ?? null}, ${now})
      on conflict (doc_id, reminder_id, channel) do update set status = excluded.status, attempts = excluded.attempts,
        next_at = excluded.next_at, last_error = excluded.last_error, updated_at = excluded.updated_at`;
    return final;
  }

  private async pushOne(r: DueRow, now: Date): Promise<DeliveryStatus> {
    const attempts = (r.push_attempts ?? 0) + 1;
    const targets = await this.o.sql<{ endpoint: string; p256dh: string; auth: string }[]>`
      select s.endpoint, s.p256dh, s.auth from push_subscriptions s join users u on u.id = s.user_id
      where u.patient_id = ${r.patient_id} and u.disabled_at is null order by s.created_at limit 10`;
    if (!targets.length) return this.record(r, 'push', 'none', attempts, now);
    if (!this.o.push) return this.record(r, 'push', 'queued', attempts, now, 'push is not configured');
    let sent = false;
    let error: string | undefined;
    for (const t of targets) {
      const result = await this.o.push.send(t, { id: r.reminder_id }, reminderTiming.pushTtlSeconds);
      if (result === 'sent') sent = true;
      else if (result === 'gone') await this.o.sql`delete from push_subscriptions where endpoint = ${t.endpoint}`;
      else error = result.error;
    }
    if (sent) return this.record(r, 'push', 'sent', attempts, now);
    return error ? this.record(r, 'push', 'queued', attempts, now, error) : this.record(r, 'push', 'none', attempts, now);
  }

  private async smsOne(r: DueRow, now: Date, unitName: string): Promise<DeliveryStatus> {
    const attempts = (r.sms_attempts ?? 0) + 1;
    const patient = readRecord(await readState(this.o.storage.log, r.doc_id), 'patient');
    const phone = typeof patient.phone === 'string' && patterns.phone.test(patient.phone) ? patient.phone : undefined;
    if (!phone) return this.record(r, 'sms', 'failed', attempts, now, 'the chart has no phone number');
    if (!this.o.sms) return this.record(r, 'sms', 'queued', attempts, now, 'no SMS gateway is configured (SMS_GATEWAY)');
    try {
      await this.o.sms.send(phone, smsText({ title: r.title, body: r.body ?? undefined, smsPlain: r.sms_plain }, unitName));
      return this.record(r, 'sms', 'sent', attempts, now);
    } catch (err) {
      return this.record(r, 'sms', 'queued', attempts, now, String((err as Error).message).slice(0, 200));
    }
  }

  /** A chart's deliveries, for the station. */
  async deliveries(docId: string): Promise<Delivery[]> {
    const rows = await this.o.sql<{ reminder_id: string; channel: Channel; status: DeliveryStatus; attempts: number; next_at: Date | null; last_error: string | null; updated_at: Date }[]>`
      select reminder_id, channel, status, attempts, next_at, last_error, updated_at from reminder_deliveries where doc_id = ${docId} order by updated_at desc limit 2000`;
    return rows.map((d) => ({ reminderId: d.reminder_id, channel: d.channel, status: d.status, attempts: d.attempts, nextAt: d.next_at?.toISOString() ?? null, lastError: d.last_error, updatedAt: d.updated_at.toISOString() }));
  }

  /** Keeps a phone's push subscription for an account (one endpoint belongs to one account: the last that claimed it). */
  async subscribe(userId: string, s: { endpoint: string; p256dh: string; auth: string }) {
    await this.o.sql`
      insert into push_subscriptions (endpoint, user_id, p256dh, auth) values (${s.endpoint}, ${userId}, ${s.p256dh}, ${s.auth})
      on conflict (endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, created_at = now()`;
    // Bounded: an account keeps its 10 newest subscriptions.
    await this.o.sql`
      delete from push_subscriptions where user_id = ${userId} and endpoint not in (
        select endpoint from push_subscriptions where user_id = ${userId} order by created_at desc limit 10)`;
  }

  async unsubscribe(userId: string, endpoint: string) {
    await this.o.sql`delete from push_subscriptions where user_id = ${userId} and endpoint = ${endpoint}`;
  }
}
