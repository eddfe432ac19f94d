// The log consumer that keeps the projections (query tables for reports and search; ARCHITECTURE.md,
// "Projections"). Each step is one transaction: it takes a PostgreSQL advisory lock (so one node at a time
// steps, whatever the number of nodes), reads its position (the last log seq applied), reads the next page of
// the log (at most `pageRows` rows), brings each touched document up to the page's end (a small LRU of Y.Docs;
// a document not in it is read from its history up to the page's end), rewrites the document's rows and moves
// the position, all in the same commit. A crash anywhere loses nothing: the next step starts again from the
// committed position, and rewriting a document's rows from its state is idempotent.
//
// Compaction merges runs of updates into one row at the run's last seq: every part of a merged row has a seq
// at or before it, so a row behind the position never holds anything the projection lacks, and a merged row
// after it only repeats what the cached document may already have (Yjs ignores what it already has).
import * as Y from 'yjs';
import { parseDocId, type DocKind } from '@telehealth/domain';
import type { Logger } from '../log';
import type { Sql } from '../storage/postgres-client';
import { toDoc, type DocDb } from '../storage/postgres-log';
import type { DocRow } from '../storage/storage';
import { layoutDoc } from '../sync/content-policy';
import { emptyProjection, isProjected, projectDoc, sortProjection, type Projection } from './extract';

/** The advisory lock that lets one node at a time step the projections (the log's own lock is 7_462_001). */
export const projectionLockKey = 7_462_101;
const positionName = 'records';

export type ProjectorOptions = {
  sql: Sql;
  log: Logger;
  /** Log rows per step. */
  pageRows?: number;
  /** Documents kept in memory between steps. */
  cacheDocs?: number;
  /** How often to look for entries committed elsewhere (another node, a tool); 0: only when poked. */
  pollMs?: number;
};

export type StepResult = { applied: number; position: number; busy: boolean };


const chunk = <T>(rows: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};

export class Projector {
  readonly sql: Sql;
  private readonly log: Logger;
  private readonly pageRows: number;
  private readonly cacheDocs: number;
  private readonly pollMs: number;
  /** The log position the cached documents reflect; -1 when unknown (the cache is then dropped). */
  private cachedAt = -1;
  private readonly docs = new Map<string, Y.Doc>();
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: ProjectorOptions) {
    this.sql = options.sql;
    this.log = options.log;
    this.pageRows = options.pageRows ?? 500;
    // Large enough that a burst across a few hundred documents does not reload their histories every step.
    this.cacheDocs = options.cacheDocs ?? 2_000;
    this.pollMs = options.pollMs ?? 2_000;
  }

  /** Catches up in the background, then follows: on every poke (a commit) and every `pollMs`. */
  start(): void {
    this.stopped = false;
    if (this.pollMs > 0) {
      this.timer = setInterval(() => this.poke(), this.pollMs);
      this.timer.unref?.();
    }
    this.poke();
  }

  /** Something was committed: step until caught up (coalesced; never more than one loop at a time). */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    });
  }

  private async loop() {
    try {
      while (!this.stopped) {
        const r = await this.step();
        // Caught up, or another node is stepping (it goes on until caught up; the poll covers its failure).
        if (r.applied === 0) return;
      }
    } catch (err) {
      this.log.error('projections.step_failed', { error: String(err) });
    }
  }

  /** Steps until the position reaches the log's end as it was when called (for tools and tests). */
  async catchUp(): Promise<void> {
    const head = await this.head();
    for (;;) {
      const r = await this.step();
      if (r.position >= head) return;
      if (r.busy) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The position (last log seq applied) and the log's end. */
  async status(): Promise<{ position: number; head: number }> {
    const [row] = await this.sql<{ seq: string }[]>`select seq from projection_position where name = ${positionName}`;
    return { position: Number(row?.seq ?? 0), head: await this.head() };
  }

  private async head(): Promise<number> {
    const [row] = await this.sql<{ s: string | null }[]>`select max(seq) as s from updates`;
    return Number(row?.s ?? 0);
  }

  private dropCache() {
    for (const doc of this.docs.values()) doc.destroy();
    this.docs.clear();
    this.cachedAt = -1;
  }

  /** One page of the log applied, in one transaction. */
  async step(): Promise<StepResult> {
    try {
      return await this.sql.begin(async (t) => {
        const tx = t as unknown as Sql;
        const [lock] = await tx<{ ok: boolean }[]>`select pg_try_advisory_xact_lock(${projectionLockKey}) as ok`;
        if (!lock?.ok) return { applied: 0, position: this.cachedAt, busy: true };
        const [pos] = await tx<{ seq: string }[]>`select seq from projection_position where name = ${positionName}`;
        const from = Number(pos?.seq ?? 0);
        // Another node (or a rebuild) moved the position since this node's last step: the cache is stale.
        if (from !== this.cachedAt) this.dropCache();
        const rows = await tx<{ seq: string; doc_id: string; data: Uint8Array }[]>`
          select seq, doc_id, data from updates where seq > ${from} order by seq limit ${this.pageRows}`;
        if (rows.length === 0) {
          this.cachedAt = from;
          return { applied: 0, position: from, busy: false };
        }
        const upTo = Number(rows[rows.length - 1]!.seq);
        // This page's updates of each projected document, in log order.
        const pageUpdates = new Map<string, Uint8Array[]>();
        for (const r of rows) {
          if (!isProjected(r.doc_id)) continue;
          const list = pageUpdates.get(r.doc_id);
          if (list) list.push(new Uint8Array(r.data));
          else pageUpdates.set(r.doc_id, [new Uint8Array(r.data)]);
        }
        const ids = [...pageUpdates.keys()];
        const metas = new Map<string, DocRow>();
        if (ids.length) {
          const docRows = await tx<DocDb[]>`select id, kind, unit_id, patient_id, peer_unit_id, created_seq from docs where id in ${tx(ids)}`;
          for (const d of docRows) metas.set(d.id, toDoc(d));
        }
        const out = emptyProjection();
        const projected: DocRow[] = [];
        for (const [docId, updates] of pageUpdates) {
          const meta = metas.get(docId);
          if (!meta) continue;
          let doc = this.docs.get(docId);
          try {
            if (doc) {
              this.docs.delete(docId);
              Y.applyUpdateV2(doc, updates.length === 1 ? updates[0]! : Y.mergeUpdatesV2(updates));
            } else {
              const history = await tx<{ data: Uint8Array }[]>`select data from updates where doc_id = ${docId} and seq <= ${upTo} order by seq`;
              doc = layoutDoc(parseDocId(docId)?.kind);
              if (history.length) Y.applyUpdateV2(doc, Y.mergeUpdatesV2(history.map((h) => new Uint8Array(h.data))));
            }
          } catch (err) {
            // Never expected (the server checked every update); the document keeps its former rows.
            this.log.error('projections.bad_update', { docId, error: String(err) });
            doc?.destroy();
            continue;
          }
          this.docs.set(docId, doc);
          projectDoc(meta, doc, out);
          projected.push(meta);
        }
        await writeRows(tx, projected, out);
        await tx`update projection_position set seq = ${upTo}, updated_at = now() where name = ${positionName}`;
        return { applied: rows.length, position: upTo, busy: false };
      }).then((r) => {
        if (!r.busy) this.cachedAt = r.position;
        while (this.docs.size > this.cacheDocs) {
          const oldest = this.docs.keys().next().value as string;
          this.docs.get(oldest)?.destroy();
          this.docs.delete(oldest);
        }
        return r;
      });
    } catch (err) {
      // The cache may hold updates of a page that did not commit.
      this.dropCache();
      throw err;
    }
  }

  /** Empties the tables and the position, then replays the whole log (reports are partial until it ends). */
  async rebuild(): Promise<void> {
    const wasStopped = this.stopped;
    this.stopped = true;
    await this.running;
    try {
      await this.sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${projectionLockKey})`;
        await tx`truncate proj_appointments, proj_forms, proj_requests, proj_reviews, proj_patients, proj_calls, proj_reminders`;
        await tx`update projection_position set seq = 0, updated_at = now() where name = ${positionName}`;
      });
      this.dropCache();
      this.log.info('projections.rebuild_started');
      await this.catchUp();
      this.log.info('projections.rebuilt', await this.status());
    } finally {
      this.stopped = wasStopped;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.dropCache();
  }
}

/** Rewrites the rows of the given documents from `p` (their rows, all of them, in their current state). */
async function writeRows(tx: Sql, docs: DocRow[], p: Projection) {
  const ofKind = (kind: DocKind) => docs.filter((d) => d.kind === kind).map((d) => d.id);
  const charts = ofKind('patient');
  if (charts.length) {
    await tx`delete from proj_patients where doc_id in ${tx(charts)}`;
    await tx`delete from proj_forms where chart_doc_id in ${tx(charts)}`;
    await tx`delete from proj_reminders where doc_id in ${tx(charts)}`;
  }
  for (const [kind, table] of [['appointment', 'proj_appointments'], ['request', 'proj_requests'], ['review', 'proj_reviews'], ['call', 'proj_calls']] as const) {
    const ids = ofKind(kind);
    if (ids.length) await tx`delete from ${tx(table)} where doc_id in ${tx(ids)}`;
  }
  const insert = async (table: string, rows: Record<string, unknown>[]) => {
    // Bounded statements: PostgreSQL takes at most 65,535 parameters in one.
    for (const part of chunk(rows, 1_000)) await tx`insert into ${tx(table)} ${tx(part as Record<string, string>[])}`;
  };
  await insert('proj_patients', p.patients.map(columns));
  // A text[] literal: the insert helper sends each value as text.
  await insert('proj_forms', p.forms.map((r) => columns({ ...r, secondaryIcds: `{${r.secondaryIcds.join(',')}}` })));
  // JSON in a text column, read back whole (readProjection, the reports).
  await insert('proj_appointments', p.appointments.map((r) => columns({ ...r, handlings: JSON.stringify(r.handlings) })));
  await insert('proj_requests', p.requests.map(columns));
  await insert('proj_reviews', p.reviews.map(columns));
  await insert('proj_calls', p.calls.map(columns));
  await insert('proj_reminders', p.reminders.map(columns));
}

/** A projected row as its table's columns: each field under the same name in snake_case (chartDocId → chart_doc_id). */
const columns = (row: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]));

const iso = (v: Date | null): string | null => (v ? v.toISOString() : null);

/** The projection tables as they are, in the shape `projectDoc` gives (for the tests and the reports). */
export async function readProjection(sql: Sql): Promise<Projection> {
  const appointments = await sql<{
    doc_id: string;
    unit_id: string;
    patient_id: string;
    status: string | null;
    purpose: string | null;
    wished_at: Date | null;
    scheduled_at: Date | null;
    created_at: Date | null;
    patient_gender: string | null;
    booked_by_citizen: boolean;
    handlings: string;
  }[]>`select * from proj_appointments`;
  const forms = await sql<{
    chart_doc_id: string;
    form_id: string;
    unit_id: string;
    patient_id: string;
    main_icd: string | null;
    icd_chapter: string | null;
    secondary_icds: string[];
    visit_type: string | null;
    handling: string | null;
    completed_at: Date | null;
  }[]>`select * from proj_forms`;
  const requests = await sql<{ doc_id: string; request_id: string; from_unit_id: string; to_unit_id: string | null; patient_id: string; sent_at: Date | null; withdrawn_at: Date | null }[]>`
    select * from proj_requests`;
  const reviews = await sql<{ doc_id: string; request_id: string; unit_id: string; station_unit_id: string | null; patient_id: string; status: string | null; scheduled_at: Date | null }[]>`
    select * from proj_reviews`;
  const patients = await sql<{
    doc_id: string;
    patient_id: string;
    unit_id: string;
    gender: string | null;
    ethnicity_code: string | null;
    commune_code: string | null;
    province_code: string | null;
    old_district_code: string | null;
    date_of_birth: string | null;
    birth_year: number | null;
    personal_id: string | null;
    insurance_number: string | null;
  }[]>`select doc_id, patient_id, unit_id, gender, ethnicity_code, commune_code, province_code, old_district_code, date_of_birth::text as date_of_birth, birth_year, personal_id, insurance_number from proj_patients`;
  const calls = await sql<{
    doc_id: string;
    call_id: string;
    unit_id: string;
    direction: string | null;
    other_unit_id: string | null;
    patient_id: string | null;
    request_id: string | null;
    purpose: string | null;
    channel: string | null;
    started_at: Date | null;
    ended_at: Date | null;
    lowest_rung: string | null;
    created_by: string | null;
  }[]>`select * from proj_calls`;
  const reminders = await sql<{ doc_id: string; reminder_id: string; unit_id: string; patient_id: string; due_at: Date; cancelled: boolean; sms: boolean; sms_plain: boolean; title: string; body: string | null }[]>`
    select * from proj_reminders`;
  return sortProjection({
    appointments: appointments.map((r) => ({
      docId: r.doc_id,
      unitId: r.unit_id,
      patientId: r.patient_id,
      status: r.status,
      purpose: r.purpose,
      wishedAt: iso(r.wished_at),
      scheduledAt: iso(r.scheduled_at),
      createdAt: iso(r.created_at),
      patientGender: r.patient_gender,
      bookedByCitizen: r.booked_by_citizen,
      handlings: JSON.parse(r.handlings) as { at: string; by: string }[]
    })),
    forms: forms.map((r) => ({
      chartDocId: r.chart_doc_id,
      formId: r.form_id,
      unitId: r.unit_id,
      patientId: r.patient_id,
      mainIcd: r.main_icd,
      icdChapter: r.icd_chapter,
      secondaryIcds: r.secondary_icds,
      visitType: r.visit_type,
      handling: r.handling,
      completedAt: iso(r.completed_at)
    })),
    requests: requests.map((r) => ({
      docId: r.doc_id,
      requestId: r.request_id,
      fromUnitId: r.from_unit_id,
      toUnitId: r.to_unit_id,
      patientId: r.patient_id,
      sentAt: iso(r.sent_at),
      withdrawnAt: iso(r.withdrawn_at)
    })),
    reviews: reviews.map((r) => ({
      docId: r.doc_id,
      requestId: r.request_id,
      unitId: r.unit_id,
      stationUnitId: r.station_unit_id,
      patientId: r.patient_id,
      status: r.status,
      scheduledAt: iso(r.scheduled_at)
    })),
    patients: patients.map((r) => ({
      docId: r.doc_id,
      patientId: r.patient_id,
      unitId: r.unit_id,
      gender: r.gender,
      ethnicityCode: r.ethnicity_code,
      communeCode: r.commune_code,
      provinceCode: r.province_code,
      oldDistrictCode: r.old_district_code,
      dateOfBirth: r.date_of_birth,
      birthYear: r.birth_year,
      personalId: r.personal_id,
      insuranceNumber: r.insurance_number
    })),
    reminders: reminders.map((r) => ({
      docId: r.doc_id,
      reminderId: r.reminder_id,
      unitId: r.unit_id,
      patientId: r.patient_id,
      dueAt: r.due_at.toISOString(),
      cancelled: r.cancelled,
      sms: r.sms,
      smsPlain: r.sms_plain,
      title: r.title,
      body: r.body
    })),
    calls: calls.map((r) => ({
      docId: r.doc_id,
      callId: r.call_id,
      unitId: r.unit_id,
      direction: r.direction,
      otherUnitId: r.other_unit_id,
      patientId: r.patient_id,
      requestId: r.request_id,
      purpose: r.purpose,
      channel: r.channel,
      startedAt: iso(r.started_at),
      endedAt: iso(r.ended_at),
      lowestRung: r.lowest_rung,
      createdBy: r.created_by
    }))
  });
}
