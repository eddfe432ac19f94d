// The catalogs the server publishes to devices, so that a new official list reaches every device without a new
// app build: the one the build ships, or the one an administrator imported from the administration screen
// (`POST /api/admin/catalogs/icd10`, a CSV of the official list, checked row by row exactly as
// `npm run catalog:import` checks it). An import with any rejected row changes nothing.
import { createHash } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  icd10,
  icd10Shipped,
  icd10TableRows,
  parseCsv,
  readDrugTable,
  readIcd10Table,
  type DrugEntry,
  type DrugPublication,
  type Icd10Entry,
  type Icd10Publication,
  type ImportReport
} from '@telehealth/catalogs';
import { Role } from '@telehealth/domain';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { Storage } from './storage/storage';

type Vars = { Variables: { principal: Principal } };
type Refuse = (c: Context, status: 400 | 403 | 413 | 415, error: string, message: string, extra?: Record<string, unknown>) => Response;

export const catalogLimits = {
  /** The whole official ICD-10 list is about 3 MB as CSV. */
  maxCsvBytes: 8 * 1024 * 1024,
  /** Rejected rows listed in an answer (all are counted). */
  maxListedRejections: 200
} as const;

/** The version of an ICD-10 list: the digest the import command gives it, so that the same list has the same version everywhere. */
export const icd10Version = (entries: Icd10Entry[]) => createHash('sha256').update(JSON.stringify(icd10TableRows(entries))).digest('hex').slice(0, 16);

/** The shipped ICD-10 list of circular 06/2026 as the build carries it: a device with this version gets 304. */
export function icd10Publication(): Icd10Publication {
  return { version: icd10Shipped.version, source: 'official', entries: [...icd10.entries] };
}

export type CatalogName = 'icd10' | 'drugs';
export type CatalogInfo = { name: CatalogName; version: string; source: 'official' | 'curated'; count: number; imported: { at: string; by: string } | null };

/** The version of a drug list: its digest, as for ICD-10. */
export const drugsVersion = (entries: DrugEntry[]) => createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);

/** No drug list is shipped: until one is imported, devices get an empty one (names are typed). */
const noDrugs: DrugPublication = { version: 'none', entries: [] };

/** What devices are served: the imported list when there is one (read again when another node imports), else the shipped one. */
export function createCatalogs(storage: Storage) {
  const shipped = icd10Publication();
  let drugs: { publication: DrugPublication; info: CatalogInfo } = { publication: noDrugs, info: { name: 'drugs', version: noDrugs.version, source: 'official', count: 0, imported: null } };
  let current: { publication: Icd10Publication; info: CatalogInfo } = { publication: shipped, info: { name: 'icd10', version: shipped.version, source: shipped.source, count: shipped.entries.length, imported: null } };
  return {
    /** The ICD-10 publication now; one small query when nothing changed. */
    async icd10(): Promise<{ publication: Icd10Publication; info: CatalogInfo }> {
      const head = await storage.getCatalog('icd10', false);
      if (!head) return current.info.imported ? (current = { publication: shipped, info: { ...current.info, version: shipped.version, count: shipped.entries.length, imported: null } }) : current;
      if (head.version === current.info.version && current.info.imported) return current;
      const row = await storage.getCatalog('icd10', true);
      if (!row?.body) return current;
      const publication = JSON.parse(row.body) as Icd10Publication;
      current = { publication, info: { name: 'icd10', version: row.version, source: publication.source, count: row.count, imported: { at: row.importedAt.toISOString(), by: row.importedBy } } };
      return current;
    },
    /** The drug list now: the imported one, else an empty one. */
    async drugs(): Promise<{ publication: DrugPublication; info: CatalogInfo }> {
      const head = await storage.getCatalog('drugs', false);
      if (!head) return (drugs = { publication: noDrugs, info: { name: 'drugs', version: noDrugs.version, source: 'official', count: 0, imported: null } });
      if (head.version === drugs.info.version) return drugs;
      const row = await storage.getCatalog('drugs', true);
      if (!row?.body) return drugs;
      drugs = { publication: JSON.parse(row.body) as DrugPublication, info: { name: 'drugs', version: row.version, source: 'official', count: row.count, imported: { at: row.importedAt.toISOString(), by: row.importedBy } } };
      return drugs;
    },
    async importDrugs(entries: DrugEntry[], by: string, at: Date): Promise<CatalogInfo> {
      const publication: DrugPublication = { version: drugsVersion(entries), entries };
      await storage.putCatalog({ name: 'drugs', version: publication.version, count: entries.length, body: JSON.stringify(publication), importedAt: at, importedBy: by });
      drugs = { publication, info: { name: 'drugs', version: publication.version, source: 'official', count: entries.length, imported: { at: at.toISOString(), by } } };
      return drugs.info;
    },
    /** Publishes an imported list (after it was checked). */
    async importIcd10(entries: Icd10Entry[], by: string, at: Date): Promise<CatalogInfo> {
      const publication: Icd10Publication = { version: icd10Version(entries), source: 'official', entries };
      await storage.putCatalog({ name: 'icd10', version: publication.version, count: entries.length, body: JSON.stringify(publication), importedAt: at, importedBy: by });
      current = { publication, info: { name: 'icd10', version: publication.version, source: 'official', count: entries.length, imported: { at: at.toISOString(), by } } };
      return current.info;
    }
  };
}
export type Catalogs = ReturnType<typeof createCatalogs>;

/**
 * GET /api/catalogs, GET /api/catalogs/icd10 (public: devices fetch them before anyone signs in), mounted before the
 * app's authentication middleware.
 */
export function mountPublicCatalogs(app: Hono<Vars>, catalogs: Catalogs) {
  app.get('/api/catalogs', async (c) => {
    const infos = [(await catalogs.icd10()).info, (await catalogs.drugs()).info];
    return c.json({ catalogs: infos.map((info) => ({ name: info.name, version: info.version, source: info.source, count: info.count })) });
  });
  const publish = (c: Context, publication: { version: string }) => {
    const etag = `"${publication.version}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    // Compression makes the tag weak (W/"…"): either form names this version.
    if (c.req.header('if-none-match')?.replace(/^W\//, '') === etag) return c.body(null, 304);
    return c.json(publication);
  };
  app.get('/api/catalogs/icd10', async (c) => publish(c, (await catalogs.icd10()).publication));
  app.get('/api/catalogs/drugs', async (c) => publish(c, (await catalogs.drugs()).publication));
}

/**
 * GET /api/admin/catalogs: what is published; POST /api/admin/catalogs/icd10 (a CSV of the official list, `text/csv`):
 * the import report, and with `?apply=1` the list published when no row was rejected. The deployment's administrators
 * only (without a unit, or of the top unit, the Department of Health): a catalog is every unit's. Mounted after the app's authentication middleware.
 */
export function mountCatalogAdmin(app: Hono<Vars>, deps: { catalogs: Catalogs; storage: Storage; log: Logger; now: () => number; refuse: Refuse }) {
  const { catalogs, storage, log, now, refuse } = deps;
  /** An administrator of the whole deployment: without a unit, or of a unit at the top of the tree (the Department of Health). */
  const deploymentAdmin = async (p: Principal) => p.role === Role.admin && (!p.unitId || (await storage.listUnits()).find((u) => u.id === p.unitId)?.parentId === null);

  app.get('/api/admin/catalogs', async (c) => {
    if (c.get('principal').role !== Role.admin) return refuse(c, 403, 'forbidden', 'administration is for administrator accounts');
    return c.json({ catalogs: [(await catalogs.icd10()).info, (await catalogs.drugs()).info] });
  });

  /** Each importable catalog: how a file is read, how the accepted rows are versioned and published. */
  type Importer<T> = { read: (rows: string[][]) => ImportReport<T>; version: (entries: T[]) => string; publish: (entries: T[], by: string, at: Date) => Promise<CatalogInfo> };
  const importers: { [N in CatalogName]: Importer<N extends 'icd10' ? Icd10Entry : DrugEntry> } = {
    icd10: { read: readIcd10Table, version: icd10Version, publish: (entries, by, at) => catalogs.importIcd10(entries, by, at) },
    drugs: { read: readDrugTable, version: drugsVersion, publish: (entries, by, at) => catalogs.importDrugs(entries, by, at) }
  };

  for (const name of Object.keys(importers) as CatalogName[]) {
    const path = `/api/admin/catalogs/${name}`;
    app.use(path, async (c, next) => {
      if (!(await deploymentAdmin(c.get('principal')))) return refuse(c, 403, 'forbidden', "catalogs are imported by the deployment's administrator");
      if (!/^text\/csv\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return refuse(c, 415, 'unsupported_media_type', 'send the list as text/csv (UTF-8)');
      return next();
    });
    app.use(path, bodyLimit({ maxSize: catalogLimits.maxCsvBytes, onError: (c) => refuse(c, 413, 'payload_too_large', `the file is over ${catalogLimits.maxCsvBytes} bytes`) }));
    app.post(path, async (c) => {
      const p = c.get('principal');
      const apply = c.req.query('apply') === '1';
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
      } catch {
        return refuse(c, 400, 'bad_request', 'the file is not UTF-8 text');
      }
      const importer = importers[name] as Importer<unknown>;
      const report = importer.read(parseCsv(text));
      const summary = {
        read: report.read,
        accepted: report.accepted.length,
        rejected: report.rejected.length,
        rejections: report.rejected.slice(0, catalogLimits.maxListedRejections),
        version: report.accepted.length ? importer.version(report.accepted) : null
      };
      if (report.rejected.length || report.accepted.length === 0) {
        log.warn('catalog.import_rejected', { catalog: name, by: p.userId, ...summary, rejections: undefined, apply });
        if (apply) return refuse(c, 400, 'catalog_rejected', `${report.rejected.length} rows rejected (or none accepted): nothing changed`, { report: summary });
        return c.json({ report: summary, applied: false });
      }
      if (!apply) return c.json({ report: summary, applied: false });
      const at = new Date(now());
      const info = await importer.publish(report.accepted, p.userId, at);
      await storage.log.audit([{ atMs: at.getTime(), action: 'catalog_import', docId: `catalog:${name}`, userId: p.userId, device: null, seq: null }]);
      log.info('catalog.imported', { catalog: name, by: p.userId, version: info.version, count: info.count });
      return c.json({ report: summary, applied: true, catalog: info });
    });
  }
}
