// Short-lived signed access tokens (HMAC-SHA-256) and opaque one-use refresh tokens.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isRole, type Role } from '@telehealth/domain';

export type Principal = {
  userId: string;
  role: Role;
  unitId: string | null;
  patientId: string | null;
};

export type AccessClaims = Principal & { exp: number };

export type TokenIssuer = {
  issueAccess(principal: Principal, nowMs: number): { token: string; expiresAt: number };
  /** A typed result: the reason is logged, the caller only learns that the token is not valid. */
  verifyAccess(token: string, nowMs: number): { ok: true; claims: AccessClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };
};

export function createTokenIssuer(secret: string, accessTtlSeconds: number): TokenIssuer {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    issueAccess(principal, nowMs) {
      const exp = Math.floor(nowMs / 1000) + accessTtlSeconds;
      const claims: AccessClaims = { ...principal, exp };
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return { token: `${payload}.${sign(payload)}`, expiresAt: exp * 1000 };
    },
    verifyAccess(token, nowMs) {
      const parts = token.split('.');
      if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
      const [payload, signature] = parts as [string, string];
      const expected = Buffer.from(sign(payload));
      const actual = Buffer.from(signature);
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { ok: false, reason: 'bad-signature' };
      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
      if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
      return { ok: true, claims };
    }
  };
}

function isClaims(v: unknown): v is AccessClaims {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c.userId === 'string' &&
    isRole(c.role) &&
    (c.unitId === null || typeof c.unitId === 'string') &&
    (c.patientId === null || typeof c.patientId === 'string') &&
    typeof c.exp === 'number'
  );
}

export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
