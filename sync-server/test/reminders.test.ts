// Reminders from the server (M9) against the real system: the station writes reminders into a chart; the patient's
// phone subscribes to Web Push; when one comes due the server pushes its id only (encrypted with the phone's keys:
// the test decrypts it as the phone would) to a push service of the test's own, and texts it through the SMS
// stand-in without diacritics; the station reads each channel's outcome; a reminder is sent once; a cancelled one
// never; a chart without a phone number says so; subscriptions are closed and bounded to the push services allowed.
import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docId, mainRecord, writeFields, writeReminder, type DocMeta } from '@telehealth/domain';
import { device, login, projectionsCaughtUp, startTestSystem, type Device, type TestSystem } from './harness';

const ece = createRequire(import.meta.url)('http_ece') as { decrypt(buffer: Buffer, params: Record<string, unknown>): Buffer };

const station = 'tyt-02701';
const patientId = 'f3a1c9e2-7b44-4d0e-9a1b-5c6d7e8f9012';
const noPhoneId = 'f3a1c9e2-7b44-4d0e-9a1b-5c6d7e8f9013';

describe('reminders sent by the server', () => {
  let system: TestSystem;
  let yty: Device;
  let pushServer: Server;
  let pushOrigin: string;
  const pushed: { path: string; headers: Record<string, unknown>; body: Buffer }[] = [];
  const phone = createECDH('prime256v1');
  phone.generateKeys();
  const auth = randomBytes(16);
  let pushStatus = 201;

  beforeAll(async () => {
    pushServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        pushed.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(pushStatus).end();
      });
    });
    await new Promise<void>((resolve) => pushServer.listen(0, '127.0.0.1', resolve));
    pushOrigin = `http://127.0.0.1:${(pushServer.address() as { port: number }).port}`;
    system = await startTestSystem({ env: { SMS_GATEWAY: 'file', PUSH_ENDPOINT_ORIGINS: pushOrigin, REMINDERS_INTERVAL_MS: '3600000' } });
    yty = await device(system.url, 'tram.yty');
    const now = Date.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    for (const [id, phoneNumber] of [
      [patientId, '0977123456'],
      [noPhoneId, undefined]
    ] as const) {
      yty.store.edit(docId('patient', id), { kind: 'patient', unitId: station, patientId: id } satisfies DocMeta, (doc) => {
        writeFields(mainRecord(doc, 'patient'), { id, unitId: station, fullName: 'Giàng Thị Dợ', gender: 'female', dateOfBirth: '1979-09-09', ...(phoneNumber ? { phone: phoneNumber } : {}), createdAt: at(-60), createdBy: 'user-tram.yty' });
        const base = { createdAt: at(-60), createdBy: 'user-tram.yty' };
        writeReminder(doc, `${id.slice(-4)}-due`, { id: `${id.slice(-4)}-due`, kind: 'medication', title: 'Đến giờ uống thuốc: Amlodipin 5 mg', body: 'Uống 1 viên sau ăn sáng', dueAt: at(-1), sms: true, smsPlain: true, ...base });
        writeReminder(doc, `${id.slice(-4)}-later`, { id: `${id.slice(-4)}-later`, kind: 'follow_up', title: 'Hẹn tái khám', dueAt: at(24 * 60), sms: true, ...base });
        writeReminder(doc, `${id.slice(-4)}-off`, { id: `${id.slice(-4)}-off`, kind: 'other', title: 'Huỷ', dueAt: at(-2), cancelledAt: at(-30), ...base });
      });
    }
    await yty.client.localChange();
    await yty.synced();
    expect(yty.store.refusedEntries).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    yty?.client.stop();
    await system?.stop();
    pushServer?.close();
  });

  const caughtUp = () => projectionsCaughtUp(system);
  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> });
  const call = (token: string, p: string, body?: unknown) =>
    fetch(`${system.url}${p}`, { method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then(json);

  it('pushes the id of a due reminder to the patient’s phone and texts it, once; says what could not be sent', async () => {
    const worker = (await login(system.url, 'tram.yty')).accessToken;
    const made = await call(worker, '/api/accounts/citizen', { phone: '0977123456', fullName: 'Giàng Thị Dợ', password: 'nhac-thuoc-2026', patientId });
    expect(made.status).toBe(201);
    const patient = (await login(system.url, '0977123456', 'nhac-thuoc-2026')).accessToken;
    const key = await call(patient, '/api/push/key');
    expect(typeof key.body.publicKey).toBe('string');
    const keys = { p256dh: phone.getPublicKey().toString('base64url'), auth: auth.toString('base64url') };
    expect((await call(patient, '/api/push/subscriptions', { endpoint: `${pushOrigin}/push/phone-1`, keys })).status).toBe(201);

    await caughtUp();
    const first = await system.reminders.tick();
    expect(first).toMatchObject({ 'push.sent': 1, 'sms.sent': 1, 'push.none': 1, 'sms.failed': 1 });

    // The push: to the phone's endpoint, VAPID-signed, and what it carries is the reminder's id and nothing else.
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.path).toBe('/push/phone-1');
    expect(String(pushed[0]!.headers.authorization)).toMatch(/^vapid t=.+, k=/);
    const clear = ece.decrypt(pushed[0]!.body, { version: 'aes128gcm', privateKey: phone, authSecret: keys.auth });
    expect(clear.toString('utf8')).toBe(JSON.stringify({ id: '9012-due' }));

    // The SMS: to the chart's phone, without diacritics, one segment.
    const sms = readFileSync(path.join(system.config.dataDir, 'sms-outbox.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { to: string; text: string });
    expect(sms).toEqual([{ at: expect.any(String), to: '0977123456', text: 'Tram Y te xa Y Ty: Den gio uong thuoc: Amlodipin 5 mg. Uong 1 vien sau an sang' }]);

    // Nothing twice; the cancelled and the future ones not at all.
    expect(await system.reminders.tick()).toMatchObject({ 'push.sent': 0, 'sms.sent': 0 });
    expect(pushed).toHaveLength(1);

    // The station reads each channel's outcome on the chart.
    const deliveries = (await call(worker, `/api/reminders/deliveries?patientId=${patientId}`)).body.deliveries as { reminderId: string; channel: string; status: string }[];
    expect(deliveries.map((d) => `${d.reminderId} ${d.channel} ${d.status}`).sort()).toEqual(['9012-due push sent', '9012-due sms sent']);
    const other = (await call(worker, `/api/reminders/deliveries?patientId=${noPhoneId}`)).body.deliveries as { channel: string; status: string; lastError: string }[];
    expect(other.find((d) => d.channel === 'sms')).toMatchObject({ status: 'failed', lastError: 'the chart has no phone number' });
    expect((await call(patient, `/api/reminders/deliveries?patientId=${patientId}`)).status).toBe(403);
    expect((await call((await login(system.url, 'tram.amusung')).accessToken, `/api/reminders/deliveries?patientId=${patientId}`)).status).toBe(404);
  });

  it('keeps a push the service did not take queued, and drops a subscription the service says is gone', async () => {
    const worker = (await login(system.url, 'tram.yty')).accessToken;
    const patient = (await login(system.url, '0977123456', 'nhac-thuoc-2026')).accessToken;
    yty.store.edit(docId('patient', patientId), undefined, (doc) =>
      writeReminder(doc, '9012-again', { id: '9012-again', kind: 'medication', title: 'Uống thuốc buổi tối', dueAt: new Date(Date.now() - 60_000).toISOString(), createdAt: new Date().toISOString(), createdBy: 'user-tram.yty' })
    );
    await yty.client.localChange();
    await yty.synced();
    await caughtUp();
    pushStatus = 503;
    expect(await system.reminders.tick()).toMatchObject({ 'push.queued': 1 });
    const queued = ((await call(worker, `/api/reminders/deliveries?patientId=${patientId}`)).body.deliveries as { reminderId: string; status: string; lastError: string; nextAt: string }[]).find((d) => d.reminderId === '9012-again');
    expect(queued).toMatchObject({ status: 'queued', lastError: 'the push service answered 503' });
    expect(Date.parse(queued!.nextAt)).toBeGreaterThan(Date.now());

    // The subscription is gone (410): it is deleted, and the next reminder has no phone to push to.
    pushStatus = 410;
    const due = async (id: string) => {
      yty.store.edit(docId('patient', patientId), undefined, (doc) =>
        writeReminder(doc, id, { id, kind: 'other', title: 'Lời nhắc', dueAt: new Date(Date.now() - 60_000).toISOString(), createdAt: new Date().toISOString(), createdBy: 'user-tram.yty' })
      );
      await yty.client.localChange();
      await yty.synced();
      await caughtUp();
    };
    await due('9012-gone');
    expect(await system.reminders.tick()).toMatchObject({ 'push.none': 1 });
    await due('9012-none');
    expect(await system.reminders.tick()).toMatchObject({ 'push.none': 1 });
    expect(pushed.filter((p) => p.path === '/push/phone-1')).toHaveLength(3);
    // The phone subscribes again: pushes resume.
    pushStatus = 201;
    const keys = { p256dh: phone.getPublicKey().toString('base64url'), auth: auth.toString('base64url') };
    expect((await call(patient, '/api/push/subscriptions', { endpoint: `${pushOrigin}/push/phone-2`, keys })).status).toBe(201);
    await due('9012-back');
    // Two passes at once (two nodes): the reminder is leased by one of them and pushed once.
    const [x, y] = await Promise.all([system.reminders.tick(), system.reminders.tick()]);
    expect(x['push.sent'] + y['push.sent']).toBe(1);
    expect(pushed.filter((p) => p.path === '/push/phone-2')).toHaveLength(1);
  });

  it('takes only closed subscriptions on the push services it sends to, from patients', async () => {
    const patient = (await login(system.url, '0977123456', 'nhac-thuoc-2026')).accessToken;
    const keys = { p256dh: phone.getPublicKey().toString('base64url'), auth: auth.toString('base64url') };
    expect((await call(patient, '/api/push/subscriptions', { endpoint: 'http://10.0.0.1/steal', keys })).status).toBe(400);
    expect((await call(patient, '/api/push/subscriptions', { endpoint: `${pushOrigin}/x`, keys, extra: 1 })).status).toBe(400);
    expect((await call(patient, '/api/push/subscriptions', { endpoint: `${pushOrigin}/x`, keys: { ...keys, auth: 'short' } })).status).toBe(400);
    const worker = (await login(system.url, 'tram.yty')).accessToken;
    expect((await call(worker, '/api/push/subscriptions', { endpoint: `${pushOrigin}/x`, keys })).status).toBe(403);
  });
});
