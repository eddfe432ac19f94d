// Pages by role: a station screen is not opened by an admin or a patient, who are told who the page is for.
import { describe, expect, it } from 'vitest';
import { pageAccess } from './guard';

describe('pageAccess', () => {
  it('opens a station page to a station worker only, and names the role for anyone else', () => {
    expect(pageAccess('/patients', 'station_worker')).toEqual({ ok: true });
    expect(pageAccess('/patients', 'admin')).toEqual({ ok: false, login: false, roles: ['role.station_worker'] });
    expect(pageAccess('/form', 'patient')).toEqual({ ok: false, login: false, roles: ['role.station_worker', 'role.doctor'] });
    expect(pageAccess('/queue/', 'station_worker')).toEqual({ ok: false, login: false, roles: ['role.doctor'] });
  });

  it('asks to log in first on a role page, and leaves open pages open', () => {
    expect(pageAccess('/book', undefined)).toEqual({ ok: false, login: true });
    for (const path of ['/', '/login', '/register', '/settings', '/setup']) expect(pageAccess(path, undefined)).toEqual({ ok: true });
  });
});
