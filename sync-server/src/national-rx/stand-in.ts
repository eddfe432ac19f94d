// A local stand-in for the national prescription system, behaving as its public connection guide describes: a
// facility logs in with its interconnection code and password and gets a token; a prescription sent with the token
// is checked field by field (400 with the field errors), a code already received with other content is refused (409),
// the same prescription sent again is accepted as a duplicate (the code is the idempotency key). It is the default
// endpoint (no NATIONAL_RX_URL): the quick start and the tests use it; a unit configures the real one.
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { nationalProblems, type NationalPrescription } from './payload';

export const standInPaths = { login: '/api/auth/dang-nhap-co-so', send: '/api/v1/gui-don-thuoc' } as const;

export type StandIn = {
  app: Hono;
  /** What it holds: each code's prescription and how many times it was sent. */
  received: Map<string, { body: string; times: number }>;
};

const maxBodyBytes = 256 * 1024;

/** `password`: what a facility must log in with (the stand-in takes any facility code). */
export function createStandIn(password = 'stand-in'): StandIn {
  const app = new Hono();
  const received = new Map<string, { body: string; times: number }>();
  const tokens = new Set<string>();

  app.post(standInPaths.login, async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { ma_lien_thong_co_so_kham_chua_benh?: unknown; password?: unknown } | undefined;
    if (typeof body?.ma_lien_thong_co_so_kham_chua_benh !== 'string' || body.password !== password) return c.json({ success: false, message: 'Sai thông tin đăng nhập' }, 401);
    const token = randomBytes(16).toString('hex');
    tokens.add(token);
    return c.json({ success: true, token });
  });

  app.post(standInPaths.send, async (c) => {
    const token = c.req.header('authorization')?.replace(/^Bearer /, '');
    if (!token || !tokens.has(token)) return c.json({ success: false, message: 'Chưa đăng nhập' }, 401);
    const raw = await c.req.text();
    if (raw.length > maxBodyBytes) return c.json({ success: false, message: 'Dữ liệu quá lớn' }, 413);
    let p: NationalPrescription;
    try {
      p = JSON.parse(raw) as NationalPrescription;
    } catch {
      return c.json({ success: false, message: 'Dữ liệu không phải JSON' }, 400);
    }
    const errors = typeof p === 'object' && p !== null && Array.isArray(p.thong_tin_don_thuoc) && Array.isArray(p.chan_doan) ? nationalProblems(p) : [{ field: '', message: 'Sai cấu trúc dữ liệu' }];
    if (errors.length) return c.json({ success: false, errors }, 400);
    const canonical = JSON.stringify(p);
    const held = received.get(p.ma_don_thuoc);
    if (held && held.body !== canonical) return c.json({ success: false, message: 'Mã đơn thuốc đã tồn tại' }, 409);
    if (held) {
      held.times++;
      return c.json({ success: true, duplicate: true, ma_don_thuoc: p.ma_don_thuoc });
    }
    received.set(p.ma_don_thuoc, { body: canonical, times: 1 });
    return c.json({ success: true, ma_don_thuoc: p.ma_don_thuoc });
  });
  return { app, received };
}
