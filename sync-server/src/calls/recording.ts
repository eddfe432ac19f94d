// Recording a consultation call (circular 49, art. 7.2), only with the consent of everyone in it.
//
// A participant of the consultation's SFU call asks to record; everyone present is asked (the /sfu socket carries
// the state, `{"janus": "recording", "recording": …}`); the SFU records only once every participant present has
// consented. While it records, a participant who has not consented (one who joins late) publishes nothing: the
// proxy refuses their `publish` (`mayPublish`) until they consent, and their declining keeps them out, not the
// recording. Anyone who consented withdrawing stops it; so does declining while it is asked, and the last
// participant leaving. On stop, Janus's per-stream .mjr files are converted with `janus-pp-rec` (audio to
// Ogg Opus, video to WebM) and kept on the server in DATA_DIR/recordings/<id>/, listed in the case
// (`GET /api/calls/recordings`), fetched only when someone asks.
//
// The state lives in this node's memory, like the rooms it records (one Janus per node).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { docId } from '@telehealth/domain';
import type { Logger } from '../log';
import type { RecordingFile, Storage } from '../storage/storage';
import type { RecordingEnd, RecordingView } from '@telehealth/domain/calls';
import type { SfuRooms } from './sfu';

export type Present = { userId: string; displayName: string; feedIds: number[] };

export const recordingLimits = {
  /** A request to record lapses if not everyone consented within this. */
  askMs: 120_000,
  /** A recording stops by itself after this (a call left open). */
  maxMs: 2 * 3_600_000,
  /** janus-pp-rec's time per file. */
  convertMs: 120_000
} as const;

type Who = { userId: string; displayName: string };
type Session = {
  id: string;
  requestId: string;
  askedBy: Who;
  status: 'asking' | 'recording' | 'saving';
  consented: Map<string, string>;
  startedAt?: Date;
  dir: string;
  /** Janus feed ids seen while recording → the participant's name (the files are named by feed). */
  feeds: Map<number, string>;
  cancelTimer?: () => void;
};

/** Converts one .mjr file (janus-pp-rec); resolves once `output` is written. */
export type Converter = (input: string, output: string) => Promise<void>;

export const janusPpRec: Converter = (input, output) =>
  new Promise((resolve, reject) => execFile('janus-pp-rec', [input, output], { timeout: recordingLimits.convertMs }, (err) => (err ? reject(err) : resolve())));

const mjrName = /^videoroom-\d+-user-(\d+)-\d+-(audio|video)-(\d+)\.mjr$/;

/** A converted file's name: its number in the recording, its kind, and the container (Ogg Opus, WebM). */
const fileNameOf = (n: number, kind: 'audio' | 'video') => `${n}-${kind}.${kind === 'audio' ? 'opus' : 'webm'}`;
/** The names `fileNameOf` makes: all a download's path may name. */
export const recordingFileName = /^\d{1,4}-(audio|video)\.(opus|webm)$/;

/** Converts the .mjr files of a recording's folder; returns the files made (a stream that carried nothing makes none). */
export async function convertFolder(dir: string, names: ReadonlyMap<number, string>, convert: Converter, log: Logger): Promise<RecordingFile[]> {
  const files: RecordingFile[] = [];
  const inputs = readdirSync(dir)
    .filter((n) => mjrName.test(n))
    .sort();
  for (const input of inputs) {
    const [, feed, kind] = mjrName.exec(input)!;
    const name = fileNameOf(files.length + 1, kind as 'audio' | 'video');
    const output = path.join(dir, name);
    try {
      await convert(path.join(dir, input), output);
      const bytes = statSync(output).size;
      if (bytes > 0) files.push({ name, kind: kind as 'audio' | 'video', bytes, participant: names.get(Number(feed)) ?? '' });
      else rmSync(output, { force: true });
    } catch (err) {
      // An empty stream (video off the whole time) has no packet to convert: janus-pp-rec refuses it.
      log.info('calls.recording_stream_skipped', { file: input, reason: String(err).slice(0, 200) });
      rmSync(output, { force: true });
    }
    rmSync(path.join(dir, input), { force: true });
  }
  return files;
}

export type RecordingsDeps = {
  rooms: Pick<SfuRooms, 'record'>;
  storage: Pick<Storage, 'addRecording' | 'finishRecording'> & { log: Pick<Storage['log'], 'audit'> };
  /** Who is in the request's SFU call now, with their Janus feeds (the /sfu proxy knows). */
  present: (requestId: string) => Present[];
  /** Tells the request's participants that the state changed (the proxy sends each their view). */
  notify: (requestId: string) => void;
  /** DATA_DIR/recordings. */
  dir: string;
  convert?: Converter;
  log: Logger;
  now: () => number;
  /** Runs `fn` after `ms` unless cancelled (injected in tests). */
  schedule?: (ms: number, fn: () => void) => () => void;
};

export type RecordingRefusal = { error: 'not_in_call' | 'busy' | 'not_recording'; message: string };

export class CallRecordings {
  #sessions = new Map<string, Session>();
  #ended = new Map<string, { reason: RecordingEnd; by?: string }>();
  #schedule: (ms: number, fn: () => void) => () => void;

  constructor(private deps: RecordingsDeps) {
    this.#schedule =
      deps.schedule ??
      ((ms, fn) => {
        const t = setTimeout(fn, ms);
        t.unref();
        return () => clearTimeout(t);
      });
  }

  /** A participant's view; `present`, when the caller has it, saves reading who is in the call again. */
  view(requestId: string, userId: string, present?: Present[]): RecordingView {
    const s = this.#sessions.get(requestId);
    const ended = this.#ended.get(requestId);
    if (!s) return { status: 'off', consented: [], waiting: [], youConsented: false, ...(ended ? { ended } : {}) };
    present ??= this.deps.present(requestId);
    return {
      status: s.status,
      id: s.id,
      askedBy: s.askedBy.displayName,
      ...(s.startedAt ? { startedAt: s.startedAt.toISOString() } : {}),
      consented: present.filter((p) => s.consented.has(p.userId)).map((p) => p.displayName),
      waiting: present.filter((p) => !s.consented.has(p.userId)).map((p) => p.displayName),
      youConsented: s.consented.has(userId)
    };
  }

  /** Whether a participant's media may go to the SFU now: always, but while recording only with their consent. */
  mayPublish(requestId: string, userId: string): boolean {
    const s = this.#sessions.get(requestId);
    return !s || s.status !== 'recording' || s.consented.has(userId);
  }

  #inCall(requestId: string, userId: string) {
    return this.deps.present(requestId).some((p) => p.userId === userId);
  }

  /** A participant asks to record (and so consents). */
  async ask(requestId: string, who: Who): Promise<RecordingRefusal | undefined> {
    if (!this.#inCall(requestId, who.userId)) return { error: 'not_in_call', message: 'only a participant of the call may ask to record it' };
    if (this.#sessions.has(requestId)) return { error: 'busy', message: 'a recording of this call is already asked for or running' };
    const id = randomUUID();
    const s: Session = { id, requestId, askedBy: who, status: 'asking', consented: new Map([[who.userId, who.displayName]]), dir: path.join(this.deps.dir, id), feeds: new Map() };
    this.#sessions.set(requestId, s);
    this.#ended.delete(requestId);
    s.cancelTimer = this.#schedule(recordingLimits.askMs, () => {
      if (this.#sessions.get(requestId) === s && s.status === 'asking') this.#drop(s, 'expired');
    });
    await this.#audit('record_consent', requestId, who.userId);
    this.deps.log.info('calls.recording_asked', { requestId, userId: who.userId, id });
    await this.#startIfAgreed(s);
    this.deps.notify(requestId);
    return undefined;
  }

  /** A participant's answer; declining (or withdrawing) ends the request or stops the recording. */
  async answer(requestId: string, who: Who, consent: boolean): Promise<RecordingRefusal | undefined> {
    const s = this.#sessions.get(requestId);
    if (!s || s.status === 'saving') return { error: 'not_recording', message: 'no recording of this call is asked for' };
    if (!this.#inCall(requestId, who.userId)) return { error: 'not_in_call', message: 'only a participant of the call answers' };
    if (!consent) {
      this.deps.log.info('calls.recording_declined', { requestId, userId: who.userId, id: s.id });
      // One who joined while it records and declines stays out of it (their screen leaves the call); the others'
      // recording goes on. One who had consented withdraws, and that stops it.
      if (s.status === 'recording' && !s.consented.has(who.userId)) {
        this.deps.notify(requestId);
        return undefined;
      }
      if (s.status === 'asking') this.#drop(s, 'declined', who.displayName);
      else await this.#stop(s, 'declined', who);
      return undefined;
    }
    if (!s.consented.has(who.userId)) {
      s.consented.set(who.userId, who.displayName);
      await this.#audit('record_consent', requestId, who.userId);
    }
    await this.#startIfAgreed(s);
    this.deps.notify(requestId);
    return undefined;
  }

  async stop(requestId: string, who: Who): Promise<RecordingRefusal | undefined> {
    const s = this.#sessions.get(requestId);
    if (!s || s.status === 'saving') return { error: 'not_recording', message: 'this call is not being recorded' };
    if (!this.#inCall(requestId, who.userId)) return { error: 'not_in_call', message: 'only a participant of the call stops its recording' };
    if (s.status === 'asking') this.#drop(s, 'stopped', who.displayName);
    else await this.#stop(s, 'stopped', who);
    return undefined;
  }

  /** Someone joined or left the call (or published): start if all who remain consented, stop if nobody is left. */
  async presenceChanged(requestId: string) {
    const s = this.#sessions.get(requestId);
    const present = this.deps.present(requestId);
    if (!s) {
      // Nothing asked or recording: nobody's view changes (one who joins got it with `ready`). The call over, how its
      // last recording ended is not kept past it (this map stays as small as the calls).
      if (present.length === 0) this.#ended.delete(requestId);
      return;
    }
    if (s.status === 'recording') for (const p of present) for (const f of p.feedIds) if (!s.feeds.has(f)) s.feeds.set(f, p.displayName);
    if (present.length === 0) {
      // Both tell the participants themselves.
      if (s.status === 'asking') this.#drop(s, 'everyone_left');
      else if (s.status === 'recording') await this.#stop(s, 'everyone_left');
      return;
    }
    await this.#startIfAgreed(s);
    this.deps.notify(requestId);
  }

  async #startIfAgreed(s: Session) {
    if (s.status !== 'asking') return;
    const present = this.deps.present(s.requestId);
    if (!present.length || present.some((p) => !s.consented.has(p.userId))) return;
    s.cancelTimer?.();
    s.status = 'recording';
    s.startedAt = new Date(this.deps.now());
    for (const p of present) for (const f of p.feedIds) s.feeds.set(f, p.displayName);
    try {
      mkdirSync(s.dir, { recursive: true, mode: 0o700 });
      await this.deps.storage.addRecording({ id: s.id, requestId: s.requestId, startedBy: s.askedBy.userId, startedAt: s.startedAt, stoppedAt: null, consented: [...s.consented.keys()], status: 'recording', files: [] });
      await this.deps.rooms.record(s.requestId, s.dir);
    } catch (err) {
      this.deps.log.error('calls.recording_failed', { requestId: s.requestId, id: s.id, error: String(err) });
      await this.deps.storage.finishRecording(s.id, { status: 'failed', stoppedAt: new Date(this.deps.now()), files: [] }).catch(() => undefined);
      this.#drop(s, 'failed');
      return;
    }
    await this.#audit('record_start', s.requestId, s.askedBy.userId);
    this.deps.log.info('calls.recording_started', { requestId: s.requestId, id: s.id, participants: present.length });
    s.cancelTimer = this.#schedule(recordingLimits.maxMs, () => void this.#stop(s, 'stopped'));
  }

  /** Ends a request that never recorded. */
  #drop(s: Session, reason: RecordingEnd, by?: string) {
    s.cancelTimer?.();
    this.#sessions.delete(s.requestId);
    this.#ended.set(s.requestId, { reason, ...(by ? { by } : {}) });
    this.deps.notify(s.requestId);
  }

  async #stop(s: Session, reason: RecordingEnd, who?: Who) {
    if (s.status !== 'recording') return;
    s.cancelTimer?.();
    s.status = 'saving';
    this.deps.notify(s.requestId);
    await this.deps.rooms.record(s.requestId, undefined).catch((err: unknown) => this.deps.log.warn('calls.recording_stop_failed', { id: s.id, error: String(err) }));
    await this.#audit('record_stop', s.requestId, who?.userId ?? s.askedBy.userId);
    let files: RecordingFile[] = [];
    try {
      files = await convertFolder(s.dir, s.feeds, this.deps.convert ?? janusPpRec, this.deps.log);
    } catch (err) {
      this.deps.log.error('calls.recording_convert_failed', { id: s.id, error: String(err) });
    }
    const status = files.length ? 'ready' : 'failed';
    // Everyone who consented, late joiners included.
    await this.deps.storage.finishRecording(s.id, { status, stoppedAt: new Date(this.deps.now()), files, consented: [...s.consented.keys()] });
    this.deps.log.info('calls.recording_saved', { requestId: s.requestId, id: s.id, reason, files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0) });
    this.#sessions.delete(s.requestId);
    this.#ended.set(s.requestId, { reason: files.length ? 'saved' : 'empty', ...(who ? { by: who.displayName } : {}) });
    this.deps.notify(s.requestId);
  }

  #audit(action: 'record_consent' | 'record_start' | 'record_stop', requestId: string, userId: string) {
    return this.deps.storage.log.audit([{ atMs: this.deps.now(), action, docId: docId('request', requestId), userId, device: null, seq: null }]);
  }

  /** Stops every recording (the server is stopping): what was recorded is kept. */
  async close() {
    for (const s of [...this.#sessions.values()]) {
      if (s.status === 'recording') await this.#stop(s, 'stopped');
      else this.#drop(s, 'stopped');
    }
  }
}
