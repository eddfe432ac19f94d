// Which roles each page is for: one list, checked by the app frame (+layout.svelte) before a page is shown, so
// that nobody types into a screen whose changes the server would refuse. Pages not listed are open to everyone.
import { Role } from '@telehealth/domain/accounts';
import type { MessageKey } from '../i18n/catalog';

export const pageRoles: Readonly<Record<string, readonly Role[]>> = {
  '/patients': [Role.stationWorker],
  '/appointments': [Role.stationWorker],
  '/requests': [Role.stationWorker],
  '/patient': [Role.stationWorker, Role.doctor],
  '/form': [Role.stationWorker, Role.doctor],
  '/request': [Role.stationWorker, Role.doctor],
  '/call': [Role.stationWorker, Role.doctor],
  '/minutes': [Role.stationWorker, Role.doctor],
  '/queue': [Role.doctor],
  '/book': [Role.patient],
  '/admin': [Role.admin],
  '/reports': [Role.stationWorker, Role.doctor, Role.admin],
  '/assessment': [Role.admin],
  '/activity-report': [Role.admin]
};

export type PageAccess = { ok: true } | { ok: false; login: true } | { ok: false; login: false; roles: MessageKey[] };

/** Whether someone with `role` (undefined: nobody signed in) may open `pathname`; if not, who may. */
export function pageAccess(pathname: string, role: Role | undefined): PageAccess {
  const roles = pageRoles[pathname.replace(/\/+$/, '') || '/'];
  if (!roles) return { ok: true };
  if (!role) return { ok: false, login: true };
  if (roles.includes(role)) return { ok: true };
  return { ok: false, login: false, roles: roles.map((r) => `role.${r}` as MessageKey) };
}
