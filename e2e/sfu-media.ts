// `npm run e2e:sfu-media` (root): media through the SFU, end to end. Janus gathers no ICE candidate on loopback, so
// the two Chromium pages run in a network namespace joined to this host by a veth pair; the server (with Janus,
// SFU=required, ICE on the host's end of the pair) runs here, reached through a TCP relay on the pair's host address.
// Each page uses the app's own SFU client (app/lib/calls/sfu-client.ts, bundled) with a call ticket of a demo
// account: both publish their fake camera and microphone into the consultation's VideoRoom and subscribe to the
// other; the check is that each decodes the other's video frames and receives audio through Janus, and that the
// audio-only switch (`receiveVideo(false)`) stops the video coming down while the audio goes on. Then the call is
// recorded with consent (circular 49 art. 7.2): the station asks, nothing records until the doctor consents, 20 s
// are recorded, the recording is stopped, converted by janus-pp-rec and listed in the case, and its audio file is
// fetched and is Ogg Opus. The pages publish with the audio rung's Opus settings (`audioSdp`), so the audio file's
// size per minute is what an audio-only consultation's recording costs (`recording.kbPerMinute`).
// Prints one JSON line of results and exits 0 when every check holds.
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { docId, mainRecord, writeFields } from '@telehealth/domain';
import { device, waitFor } from '../sync-server/test/harness';
import { callStats as stats, joinCall, labProblem, recordingAction, savedRecording, sfuTicket, startLab, type Lab, type PageStats } from './lib/sfu-lab';

/** The server's log lines about calls and the SFU, printed when a check fails. */
let serverLogs: string[] = [];

function fail(message: string): never {
  for (const line of serverLogs.filter((l) => /"event":"(sfu|calls)\.(?!janus)/.test(l)).slice(-40)) process.stderr.write(`  ${line}\n`);
  process.stderr.write(`sfu-media: ${message}\n`);
  process.exit(1);
}

const problem = labProblem();
if (problem) fail(problem);

async function main() {
  const lab: Lab = await startLab();
  const system = lab.system;
  serverLogs = system.logs;
  try {
    const yty = await device(system.url, 'tram.yty');
    yty.store.edit(docId('patient', 'patient-demo-0001'), { kind: 'patient', unitId: 'tyt-02701', patientId: 'patient-demo-0001' }, (y) => writeFields(mainRecord(y, 'patient'), { occupation: 'Làm ruộng' }));
    yty.store.edit(docId('request', 'r-media'), { kind: 'request', unitId: 'tyt-02701', patientId: 'patient-demo-0001', peerUnitId: 'ttyt-bat-xat' }, (y) => writeFields(mainRecord(y, 'request'), { requestContent: 'Hội chẩn', sentAt: new Date().toISOString() }));
    await yty.client.localChange();
    await yty.synced();
    yty.client.stop();

    const open = async (username: string): Promise<Page> => {
      const { page } = await lab.page();
      // The audio level's Opus settings, the video on (at the low level's settings).
      await joinCall(lab, page, await sfuTicket(lab, username, 'r-media'), { video: true, rung: 'audio' });
      return page;
    };

    const station = await open('tram.yty');
    const doctor = await open('bacsi.batxat');
    let last: PageStats[] = [];
    await waitFor(
      async () => {
        last = await Promise.all([station, doctor].map(stats));
        return last.every((s) => s.framesDecoded >= 30 && s.audioBytes > 2_000);
      },
      60_000,
      'both pages decoding the other through Janus'
    ).catch(() => fail(`no media through Janus: ${JSON.stringify(last)}`));
    const through = last;

    // The audio-only rung on the station: the doctor's video stops coming down, the audio goes on.
    await station.evaluate(() => (window as unknown as { call: { receiveVideo(on: boolean): Promise<void> } }).call.receiveVideo(false));
    let before = await stats(station);
    let beforeAt = Date.now();
    let steady = 0;
    await waitFor(
      async () => {
        // Samples a second apart (a frame comes every 67 ms at 15 fps): three in a row with no new frame.
        if (Date.now() - beforeAt < 1_000) return false;
        beforeAt = Date.now();
        const now = await stats(station);
        steady = now.framesDecoded === before.framesDecoded && now.audioBytes > before.audioBytes ? steady + 1 : 0;
        before = now;
        return steady >= 3;
      },
      30_000,
      'video stopped, audio flowing'
    ).catch(() => fail(`the video did not stop on the audio-only switch: ${JSON.stringify(before)}`));
    const audioOnly = before;
    // Back to video: the frames come down again (so the stop above was the switch, not a stalled stream).
    await station.evaluate(() => (window as unknown as { call: { receiveVideo(on: boolean): Promise<void> } }).call.receiveVideo(true));
    let again = audioOnly;
    await waitFor(async () => (again = await stats(station)).framesDecoded >= audioOnly.framesDecoded + 15, 30_000, 'video back').catch(() =>
      fail(`the video did not come back: ${JSON.stringify(again)}`)
    );

    // Recording, with consent, over each page's own /sfu socket as the call screen does.
    const asked = await recordingAction(station, 'ask');
    if (asked.status !== 'asking') fail(`asking to record: ${JSON.stringify(asked)}`);
    const consented = await recordingAction(doctor, 'consent');
    if (consented.status !== 'recording') fail(`recording after both consented: ${JSON.stringify(consented)}`);
    const recordFrom = Date.now();
    const audioAtStart = await stats(doctor);
    await waitFor(() => Date.now() - recordFrom >= 20_000, 30_000, '20 s recorded');
    const audioAtEnd = await stats(doctor);
    if (audioAtEnd.audioBytes <= audioAtStart.audioBytes) fail('no audio flowed while recording');
    await recordingAction(doctor, 'stop');
    const rec = await savedRecording(lab, 'r-media');
    const audio = rec.files.filter((f) => f.kind === 'audio');
    const video = rec.files.filter((f) => f.kind === 'video');
    if (rec.status !== 'ready' || audio.length !== 2 || video.length !== 2) fail(`expected an audio and a video file per participant: ${JSON.stringify(rec)}`);
    const file = await fetch(`${system.url}/api/calls/recordings/${rec.id}/${audio[0]!.name}`, { headers: { authorization: `Bearer ${await lab.token('bacsi.batxat')}` } });
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (!file.ok || new TextDecoder().decode(bytes.subarray(0, 4)) !== 'OggS' || bytes.length !== audio[0]!.bytes) fail(`the audio file is not the Ogg Opus listed: ${file.status}, ${bytes.length} bytes`);
    const minutes = (Date.parse(rec.stoppedAt) - Date.parse(rec.startedAt)) / 60_000;
    const recording = {
      seconds: Math.round(minutes * 60),
      kbPerMinute: Math.round(Math.max(...audio.map((f) => f.bytes)) / 1024 / minutes),
      videoKbPerMinute: Math.round(Math.max(...video.map((f) => f.bytes)) / 1024 / minutes),
      files: rec.files.map((f) => ({ kind: f.kind, bytes: f.bytes, participant: f.participant }))
    };
    const summary = { ok: true, throughJanus: through, audioOnly, videoBack: again, recording };
    if (process.env.SFU_MEDIA_JSON) writeFileSync(process.env.SFU_MEDIA_JSON, JSON.stringify(summary, null, 2) + '\n');
    process.stdout.write(JSON.stringify(summary) + '\n');
  } finally {
    await lab.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => fail(String(err))
);
