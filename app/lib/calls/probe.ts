// The pre-call check's link probe: a few tiny requests to the server for the round trip, then one download
// (`GET /api/calls/probe?bytes=N`) read as it streams, stopped at a deadline so that a 2G link is measured in a few
// seconds rather than waited for. Its figures suggest the rung the call starts on (the ladder then follows the
// call's own measures: `@telehealth/domain/calls`).
import { ladderThresholds, type Rung } from '@telehealth/domain/calls';

export type ProbeResult = {
  /** The shortest round trip of the small requests, ms. */
  rttMs?: number;
  /** Download throughput from the server, kbit/s. */
  kbps?: number;
  /** Small requests that failed (no answer, or not 200), of those sent. */
  failed: number;
  sent: number;
  suggested: Rung;
};

/** Fetches `/api/calls/probe?bytes=N` (authenticated by the caller); the body is read as a stream. */
export type ProbeFetch = (bytes: number, signal: AbortSignal) => Promise<Response>;

export const probePlan = { pings: 3, bytes: 64 * 1024, deadlineMs: 4_000, pingTimeoutMs: 3_000 } as const;

/** The rung the link's measures hold, by the ladder's step-up limits (no figure: the phone). */
export function suggestRung(m: { kbps?: number; rttMs?: number; failed?: number; sent?: number }): Rung {
  if (m.kbps === undefined || (m.sent && m.failed === m.sent)) return 'phone';
  const loss = m.sent ? (m.failed ?? 0) / m.sent : 0;
  const fits = (r: Exclude<Rung, 'phone'>) => {
    const up = ladderThresholds[r].up;
    return m.kbps! >= up.kbps && (m.rttMs === undefined || m.rttMs < up.rttMs) && loss < Math.max(up.loss, 0.34);
  };
  return fits('hd') ? 'hd' : fits('low') ? 'low' : fits('audio') ? 'audio' : 'phone';
}

export async function probeLink(get: ProbeFetch, now: () => number = () => performance.now()): Promise<ProbeResult> {
  let rttMs: number | undefined;
  let failed = 0;
  for (let i = 0; i < probePlan.pings; i++) {
    const started = now();
    try {
      const res = await get(0, AbortSignal.timeout(probePlan.pingTimeoutMs));
      await res.arrayBuffer();
      if (!res.ok) throw new Error(String(res.status));
      const took = now() - started;
      rttMs = rttMs === undefined ? took : Math.min(rttMs, took);
    } catch {
      failed++;
    }
  }
  let kbps: number | undefined;
  if (rttMs !== undefined) {
    const controller = new AbortController();
    const started = now();
    let received = 0;
    const timer = setTimeout(() => controller.abort(), probePlan.deadlineMs);
    try {
      const res = await get(probePlan.bytes, controller.signal);
      if (res.ok && res.body) {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          received += value.byteLength;
        }
      }
    } catch {
      // The deadline: what arrived until then is the measure.
    } finally {
      clearTimeout(timer);
    }
    // One round trip of the elapsed time is the request's, not the transfer's.
    const transferMs = Math.max(1, now() - started - rttMs);
    if (received > 0) kbps = (received * 8) / transferMs;
  }
  const result = { rttMs, kbps, failed, sent: probePlan.pings };
  return { ...result, suggested: suggestRung(result) };
}
