// The pre-call probe: the round trip from the fastest small request, the throughput from a download stopped at a
// deadline, and the rung the figures suggest.
import { describe, expect, it } from 'vitest';
import { probeLink, suggestRung } from './probe';

/** A fake link: each request takes `rttMs`, then the body arrives at `kbps` in 4 KiB chunks, on a fake clock. */
function fakeLink(rttMs: number, kbps: number, failPings = 0) {
  let clock = 0;
  let pings = 0;
  const get = async (bytes: number, signal: AbortSignal) => {
    clock += rttMs;
    if (bytes === 0 && pings++ < failPings) throw new Error('timeout');
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (signal.aborted || sent >= bytes || clock > 4_000 + 3 * rttMs + rttMs) return controller.close();
        const n = Math.min(4096, bytes - sent);
        sent += n;
        clock += (n * 8) / kbps;
        controller.enqueue(new Uint8Array(n));
      }
    });
    return new Response(body, { status: 200 });
  };
  return { get, now: () => clock };
}

describe('probeLink', () => {
  it('measures the round trip and the throughput of a good link and suggests HD video', async () => {
    const link = fakeLink(20, 5_000);
    const r = await probeLink(link.get, link.now);
    expect(r.rttMs).toBe(20);
    expect(r.kbps).toBeGreaterThan(4_500);
    expect(r.kbps).toBeLessThan(5_500);
    expect(r.suggested).toBe('hd');
  });

  it('stops a slow download at its deadline and still measures it: a 2G link suggests audio only', async () => {
    const link = fakeLink(400, 40);
    const r = await probeLink(link.get, link.now);
    expect(r.kbps).toBeGreaterThan(30);
    expect(r.kbps).toBeLessThan(50);
    expect(r.suggested).toBe('audio');
  });

  it('suggests the phone when nothing answers', async () => {
    const link = fakeLink(10, 1_000, 3);
    const r = await probeLink(link.get, link.now);
    expect([r.rttMs, r.kbps, r.failed, r.suggested]).toEqual([undefined, undefined, 3, 'phone']);
  });
});

describe('suggestRung', () => {
  it.each([
    [{ kbps: 2_000, rttMs: 50 }, 'hd'],
    [{ kbps: 2_000, rttMs: 700 }, 'audio'],
    [{ kbps: 500, rttMs: 100 }, 'low'],
    [{ kbps: 100, rttMs: 300 }, 'audio'],
    [{ kbps: 100, rttMs: 1_200 }, 'phone'],
    [{ kbps: 10, rttMs: 100 }, 'phone'],
    [{}, 'phone']
  ] as const)('%o → %s', (m, rung) => {
    expect(suggestRung(m)).toBe(rung);
  });
});
