// The database schema, as an ordered list of migrations; each runs once, in a transaction.

export const migrations: readonly string[] = [
  /* 1: units, accounts, refresh tokens */ `
  create table units (
    id text primary key,
    kind text not null,
    name text not null,
    province_code text not null,
    commune_code text,
    parent_id text references units(id)
  );
  create table unit_links (
    from_unit text not null references units(id),
    to_unit text not null references units(id),
    primary key (from_unit, to_unit)
  );
  create table users (
    id text primary key,
    username text not null unique,
    display_name text not null,
    role text not null,
    unit_id text references units(id),
    patient_id text,
    password_hash text not null,
    created_at timestamptz not null default now()
  );
  create table refresh_tokens (
    token_hash text primary key,
    user_id text not null references users(id),
    expires_at timestamptz not null
  );
  create index refresh_tokens_user on refresh_tokens(user_id);
  `,
  /* 2: the update log: documents, who may read and write them, and their updates in one global order */ `
  create table docs (
    id text primary key,
    kind text not null,
    unit_id text not null,
    patient_id text not null,
    peer_unit_id text,
    created_seq bigint not null,
    created_at timestamptz not null default now()
  );
  create index docs_patient on docs(patient_id, kind);
  create sequence log_seq;
  create table updates (
    seq bigint primary key,
    doc_id text not null references docs(id),
    origin text,
    data bytea not null
  );
  create index updates_doc on updates(doc_id, seq);
  create table doc_access (
    reader text not null,
    doc_id text not null references docs(id),
    vis_seq bigint not null,
    can_write boolean not null,
    primary key (reader, doc_id)
  );
  create index doc_access_doc on doc_access(doc_id);
  `,
  /* 3: the diseases (ICD-10 categories) a unit handles by teleconsultation; null = the default list of its kind */ `
  alter table units add column telehealth_icd text[];
  `,
  /* 4: the audit trail (circular 49 art. 4.3: kept 10 years). Who wrote each stored update, from which device and
     when; each delivery of a chart to an account outside its unit; each opening of it there. Append-only, and
     compaction (which merges rows of updates) never touches it. */ `
  create table audit (
    id bigserial primary key,
    at timestamptz not null,
    action text not null check (action in ('write', 'deliver', 'open')),
    doc_id text not null,
    user_id text not null,
    device text,
    seq bigint
  );
  create index audit_doc on audit(doc_id, id);
  create index audit_user on audit(user_id, id);
  `,
  /* 5: the projections (sync-server/src/projections): query tables kept from the log, and the last log seq applied */ `
  create table projection_position (name text primary key, seq bigint not null, updated_at timestamptz not null default now());
  insert into projection_position (name, seq) values ('records', 0);
  create table proj_appointments (
    doc_id text primary key, unit_id text not null, patient_id text not null,
    status text, purpose text, wished_at timestamptz, scheduled_at timestamptz
  );
  create index proj_appointments_status on proj_appointments(unit_id, status, scheduled_at);
  create index proj_appointments_wished on proj_appointments(unit_id, wished_at);
  create table proj_forms (
    chart_doc_id text not null, form_id text not null, unit_id text not null, patient_id text not null,
    main_icd text, icd_chapter text, secondary_icds text[] not null default '{}', visit_type text, handling text,
    completed_at timestamptz,
    primary key (chart_doc_id, form_id)
  );
  create index proj_forms_icd on proj_forms(main_icd);
  create index proj_forms_unit on proj_forms(unit_id, icd_chapter, completed_at);
  create index proj_forms_secondary on proj_forms using gin (secondary_icds);
  create table proj_requests (
    doc_id text primary key, request_id text not null, from_unit_id text not null, to_unit_id text, patient_id text not null,
    sent_at timestamptz
  );
  create index proj_requests_from on proj_requests(from_unit_id, sent_at);
  create index proj_requests_to on proj_requests(to_unit_id, sent_at);
  create table proj_reviews (
    doc_id text primary key, request_id text not null, unit_id text not null, station_unit_id text, patient_id text not null,
    status text, scheduled_at timestamptz
  );
  create index proj_reviews_unit on proj_reviews(unit_id, status, scheduled_at);
  create index proj_reviews_request on proj_reviews(request_id);
  create table proj_patients (
    doc_id text primary key, patient_id text not null, unit_id text not null, gender text, ethnicity_code text,
    commune_code text, province_code text, date_of_birth date, birth_year int
  );
  create index proj_patients_unit on proj_patients(unit_id, gender, ethnicity_code);
  create index proj_patients_commune on proj_patients(commune_code);
  `,
  /* 6: Mã cơ sở y tế (appendix 3's header): the unit's code in the BHYT list of health facilities (MA_CSKCB, 5
     characters; packages/domain patterns.facilityCode); null for a unit without one (a Sở Y tế) or not entered yet */ `
  alter table units add column facility_code text check (facility_code ~ '^[0-9A-Z]{5}$');
  `,
  /* 7: access that ends. An administrator disables an account (disabled_at; its refresh tokens are deleted and its
     sockets closed). A grant remembers the documents that made it (a sent request, minutes), so that withdrawing a
     request takes the chart back from its upper unit once nothing else grants it; each revocation is logged at the
     seq of the write that made it (other nodes read it with the log range). Grants made before this migration are
     credited to every request and minutes of the chart's station to that unit. The audit trail records the
     disabling and enabling of accounts (doc_id 'account:<id>'). */ `
  alter table users add column disabled_at timestamptz;
  create table grant_sources (
    reader text not null,
    doc_id text not null references docs(id),
    source_id text not null references docs(id),
    primary key (reader, doc_id, source_id)
  );
  insert into grant_sources (reader, doc_id, source_id)
    select a.reader, a.doc_id, d.id from doc_access a
    join docs c on c.id = a.doc_id and c.kind = 'patient'
    join docs d on d.patient_id = c.patient_id and d.unit_id = c.unit_id and d.kind in ('request', 'minutes') and 'unit:' || d.peer_unit_id = a.reader
    where a.vis_seq > 0 and not a.can_write;
  create table access_revocations (
    seq bigint not null,
    reader text not null,
    doc_id text not null references docs(id),
    primary key (seq, reader, doc_id)
  );
  create index access_revocations_doc on access_revocations(doc_id, reader);
  alter table audit drop constraint audit_action_check;
  alter table audit add constraint audit_action_check check (action in ('write', 'deliver', 'open', 'disable', 'enable'));
  `,
  /* 8: withdrawn requests in the projections (proj_requests.withdrawn_at), so that reports do not count them as sent
     and waiting. The projections replay the log from the start to fill it (position 0), in the background: reports
     are partial until it ends, as after a rebuild, but the tables are not emptied (a document's rows are rewritten
     when the replay reaches it). */ `
  alter table proj_requests add column withdrawn_at timestamptz;
  update projection_position set seq = 0, updated_at = now() where name = 'records';
  `,
  /* 9: calls in the projections (proj_calls, one row per call log: the unit that logged it, direction, the other unit,
     purpose, channel, start, end and the lowest rung of the ladder it went down to), what report 5D counts. Call
     logs are a new document kind: no document before this migration has rows to fill. */ `
  create table proj_calls (
    doc_id text primary key, call_id text not null, unit_id text not null, direction text, other_unit_id text,
    patient_id text, request_id text, purpose text, channel text, started_at timestamptz, ended_at timestamptz,
    lowest_rung text
  );
  create index proj_calls_unit on proj_calls(unit_id, started_at);
  `,
  /* 10: the unit's phone line (units.phone: 0 and 9 or 10 digits, a landline or a mobile), the last rung of a call's
     ladder: the call screen offers it as a tel: link when the app call cannot hold. Null: not entered yet. */ `
  alter table units add column phone text check (phone ~ '^0[0-9]{9,10}$');
  `,
  /* 11: administration: in the audit trail, an account created, changed (name, role, unit), its password reset, a
     unit created or changed, a catalog imported and a device revoked (doc_id `account:<id>`, `unit:<id>`,
     `catalog:<name>`, `device:<user id>/<device id>`); a person's gender, qualification (trình độ chuyên môn), job
     title, practice certificate and scope (a consultant's profile), and who created an account (a health worker, for
     a citizen); the days an account signed in or refreshed its session (reports: "đã đăng nhập trong kỳ"); the devices that sync (seen at each hello; revoked ones are
     refused); and the catalogs an administrator imported from the screen (the publication as JSON text), which
     replace the shipped ones for devices. */ `
  alter table audit drop constraint audit_action_check;
  alter table audit add constraint audit_action_check check (action in ('write', 'deliver', 'open', 'disable', 'enable', 'account_create', 'account_change', 'password_reset', 'unit_change', 'catalog_import', 'device_revoke'));
  create table devices (
    user_id text not null references users(id),
    device_id text not null,
    first_seen timestamptz not null,
    last_seen timestamptz not null,
    schema_version integer,
    revision integer,
    revoked_at timestamptz,
    revoked_by text,
    primary key (user_id, device_id)
  );
  alter table users add column gender text check (gender in ('male', 'female')), add column qualification text,
    add column job_title text, add column practice_certificate text, add column practice_scope text, add column created_by text;
  create table logins (user_id text not null references users(id), day date not null, primary key (user_id, day));
  create table catalogs (
    name text primary key,
    version text not null,
    count integer not null,
    body text not null,
    imported_at timestamptz not null default now(),
    imported_by text not null
  );
  `,
  /* 12: what reports 5A–5D read (packages/domain/reports.ts) and the projections did not keep: an appointment's
     creation, the gender its booking states, whether the citizen made it (not the station's follow-up) and who acted
     for the station on it, when (report 5B; JSON in text, read back whole); a chart's old district (records before
     1 July 2025 group by it); who logged a call. The projections replay the log from the start to fill them
     (position 0), as migration 8 does. */ `
  alter table proj_appointments add column created_at timestamptz, add column patient_gender text,
    add column booked_by_citizen boolean not null default false, add column handlings text not null default '[]';
  create index proj_appointments_visit on proj_appointments(unit_id, (coalesce(scheduled_at, wished_at)));
  create index proj_appointments_created on proj_appointments(unit_id, created_at);
  create index proj_forms_completed on proj_forms(unit_id, completed_at);
  alter table proj_patients add column old_district_code text;
  alter table proj_calls add column created_by text;
  update projection_position set seq = 0, updated_at = now() where name = 'records';
  `,
  /* 13: the log's identity (sync-server/src/db-admin.ts): a random id made with the database and renewed when it is
     restored from a backup, with the last log position the backup held; the welcome tells devices (protocol revision
     2), and a device that knew another identity sends again what it wrote after that position. */ `
  create table log_identity (
    only_row boolean primary key default true check (only_row),
    id text not null,
    restored_seq bigint not null default 0,
    restored_at timestamptz
  );
  insert into log_identity (id) values (md5(random()::text || clock_timestamp()::text));
  `,
  /* 14: the national prescription codes each prescription took (packages/domain/prescriptions.ts): a code is never
     used by two prescriptions, and stays taken whatever becomes of its prescription; and the outbox of issued
     prescriptions to the national prescription system (national-rx/outbox.ts), one row per code, written in the
     transaction of the update that issues it. */ `
  create table prescription_codes (
    code text primary key,
    doc_id text not null,
    claimed_at timestamptz not null default now()
  );
  create table prescription_outbox (
    code text primary key,
    doc_id text not null,
    unit_id text not null,
    patient_id text not null,
    state text not null default 'pending' check (state in ('pending', 'sent', 'rejected')),
    attempts integer not null default 0,
    next_at timestamptz not null default now(),
    last_error text,
    errors text,
    answer text,
    queued_at timestamptz not null default now(),
    sent_at timestamptz
  );
  create index prescription_outbox_due on prescription_outbox (next_at) where state = 'pending';
  create index prescription_outbox_unit on prescription_outbox (unit_id, queued_at);
  `,
  /* 15: what the official reports print about a unit (decision 28's "Mức độ y tế từ xa" and circular 49 appendix
     II): its address and its operating licence (giấy phép hoạt động); and a unit's yearly reports (unit-reports-api.ts):
     its telehealth level self-assessment (`level`, packages/domain/telehealth-level.ts) and its yearly activity
     report (`activity`, packages/domain/activity-report.ts), each as closed JSON the domain parses. */ `
  alter table units add column address text check (length(address) <= 300);
  alter table units add column licence text check (length(licence) <= 100);
  create table unit_reports (
    unit_id text not null references units(id),
    kind text not null check (kind in ('level', 'activity')),
    year integer not null check (year between 2000 and 2099),
    body jsonb not null,
    updated_by text not null,
    updated_at timestamptz not null default now(),
    primary key (unit_id, kind, year)
  );
  alter table audit drop constraint audit_action_check;
  alter table audit add constraint audit_action_check check (action in ('write', 'deliver', 'open', 'disable', 'enable', 'account_create', 'account_change', 'password_reset', 'unit_change', 'catalog_import', 'device_revoke', 'unit_report_change'));
  `,
  /* 16: bulletins (bản tin, M9 and appendix 5's "Thống kê bản tin"): news a Department of Health publishes to the
     stations, doctors and patients of its province, who keep them on their devices to read offline
     (bulletins-api.ts). A withdrawn bulletin stays, counted in the period it was published. */ `
  create table bulletins (
    id text primary key,
    unit_id text not null references units(id),
    province_code text not null,
    title text not null check (length(title) between 1 and 200),
    body text not null check (length(body) between 1 and 5000),
    published_at timestamptz not null,
    published_by text not null,
    withdrawn_at timestamptz
  );
  create index bulletins_province on bulletins (province_code, published_at desc);
  alter table audit drop constraint audit_action_check;
  alter table audit add constraint audit_action_check check (action in ('write', 'deliver', 'open', 'disable', 'enable', 'account_create', 'account_change', 'password_reset', 'unit_change', 'catalog_import', 'device_revoke', 'unit_report_change', 'bulletin_publish', 'bulletin_withdraw'));
  `,
  /* 17: signed records (criterion 61, signatures-api.ts): the signed PDF of a record (each signature appends a
     revision, so the latest bytes hold every earlier version as a prefix) and a row per signature; a record with a
     signature changes no more (postgres-log.ts refuses the write). */ `
  create table signed_pdfs (
    doc_id text primary key references docs(id),
    bytes bytea not null check (length(bytes) <= 2097152),
    updated_at timestamptz not null
  );
  create table signatures (
    doc_id text not null references signed_pdfs(doc_id),
    version integer not null check (version between 1 and 30),
    length integer not null check (length > 0),
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    user_id text not null,
    role text not null check (role in ('chair', 'secretary', 'member', 'prescriber')),
    signer_name text not null check (length(signer_name) between 1 and 200),
    cert_serial text not null check (length(cert_serial) <= 128),
    cert_issuer text not null check (length(cert_issuer) <= 500),
    signed_at timestamptz not null,
    primary key (doc_id, version)
  );
  alter table audit drop constraint audit_action_check;
  alter table audit add constraint audit_action_check check (action in ('write', 'deliver', 'open', 'disable', 'enable', 'account_create', 'account_change', 'password_reset', 'unit_change', 'catalog_import', 'device_revoke', 'unit_report_change', 'bulletin_publish', 'bulletin_withdraw', 'sign'));
  `,
  /* 18: an upper unit's consultation calendar (criterion 60, calendars-api.ts): its weekly hours cut into slots and
     its closed days, as closed JSON the domain parses (packages/domain/calendar.ts). */ `
  create table consultation_calendars (
    unit_id text primary key references units(id),
    body jsonb not null,
    updated_by text not null,
    updated_at timestamptz not null default now()
  );
  alter table audit drop constraint audit_action_check;
  alter table audit add constraint audit_action_check check (action in ('write', 'deliver', 'open', 'disable', 'enable', 'account_create', 'account_change', 'password_reset', 'unit_change', 'catalog_import', 'device_revoke', 'unit_report_change', 'bulletin_publish', 'bulletin_withdraw', 'sign', 'calendar_change'));
  `,
  /* 19: recordings of consultation calls, and invitations into them (circular 49 art. 7.2; calls/recording.ts): made by the SFU only once every
     participant present consented, converted with janus-pp-rec; the files live in DATA_DIR/recordings/<id>/, this
     row says whose consultation they belong to, who consented, and what the files are. */ `
  create table call_recordings (
    id text primary key check (id ~ '^[0-9a-f-]{36}$'),
    request_id text not null,
    started_by text not null,
    started_at timestamptz not null,
    stopped_at timestamptz,
    consented jsonb not null,
    status text not null check (status in ('recording', 'converting', 'ready', 'failed')),
    files jsonb not null default '[]'
  );
  create index call_recordings_request on call_recordings (request_id, started_at);
  /* A named person invited into one consultation's call ("Mời người tham gia", calls/invites.ts): the link carries
     the id and its HMAC; this row says for whom, until when, and whether it was revoked. */
  create table call_invites (
    id text primary key check (id ~ '^[0-9a-f-]{36}$'),
    request_id text not null,
    name text not null check (length(name) between 1 and 100),
    created_by text not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz
  );
  create index call_invites_request on call_invites (request_id, expires_at);
  alter table audit drop constraint audit_action_check;
  alter table audit add constraint audit_action_check check (action in ('write', 'deliver', 'open', 'disable', 'enable', 'account_create', 'account_change', 'password_reset', 'unit_change', 'catalog_import', 'device_revoke', 'unit_report_change', 'bulletin_publish', 'bulletin_withdraw', 'sign', 'calendar_change', 'record_consent', 'record_start', 'record_stop', 'invite_create', 'invite_revoke', 'invite_join'));
  `,
  // 20: FHIR export and import audited (fhir-api.ts).
  `
  alter table audit drop constraint audit_action_check;
  alter table audit add constraint audit_action_check check (action in ('write', 'deliver', 'open', 'disable', 'enable', 'account_create', 'account_change', 'password_reset', 'unit_change', 'catalog_import', 'device_revoke', 'unit_report_change', 'bulletin_publish', 'bulletin_withdraw', 'sign', 'calendar_change', 'record_consent', 'record_start', 'record_stop', 'invite_create', 'invite_revoke', 'invite_join', 'fhir_export', 'fhir_import'));
  `,
  /* 21: a chart's CCCD and BHYT number in its projection, so that a FHIR import finds a unit's patient by them
     without reading every chart (fhir-api.ts); the projections replay the log to fill them. */ `
  alter table proj_patients add column personal_id text, add column insurance_number text;
  create index proj_patients_personal_id on proj_patients(unit_id, personal_id) where personal_id is not null;
  create index proj_patients_insurance on proj_patients(unit_id, insurance_number) where insurance_number is not null;
  update projection_position set seq = 0, updated_at = now() where name = 'records';
  `,
  /* 22: reminders to patients (M9, reminders/): the charts' reminders projected (what is due when; an SMS's words),
     the phones' Web Push subscriptions, and each reminder's delivery by channel (sent, queued with its next attempt,
     failed with why): a due reminder is delivered or visibly waiting. */ `
  create table proj_reminders (
    doc_id text not null,
    reminder_id text not null,
    unit_id text not null,
    patient_id text not null,
    due_at timestamptz not null,
    cancelled boolean not null,
    sms boolean not null,
    sms_plain boolean not null,
    title text not null,
    body text,
    primary key (doc_id, reminder_id)
  );
  create index proj_reminders_due on proj_reminders (due_at) where not cancelled;
  create table push_subscriptions (
    endpoint text primary key check (length(endpoint) <= 1000),
    user_id text not null,
    p256dh text not null check (length(p256dh) <= 200),
    auth text not null check (length(auth) <= 100),
    created_at timestamptz not null default now()
  );
  create index push_subscriptions_user on push_subscriptions (user_id);
  create table reminder_deliveries (
    doc_id text not null,
    reminder_id text not null,
    channel text not null check (channel in ('push', 'sms')),
    status text not null check (status in ('sent', 'queued', 'failed', 'none')),
    attempts int not null default 0,
    next_at timestamptz,
    last_error text,
    updated_at timestamptz not null,
    primary key (doc_id, reminder_id, channel)
  );
  create index reminder_deliveries_next on reminder_deliveries (next_at) where status = 'queued';
  update projection_position set seq = 0, updated_at = now() where name = 'records';
  `,
  /* 23: a unit's yearly report signed (unit-reports-api.ts): the signed PDF as the signer's device made it, who signed
     (the account, and the name in the certificate), when, and the SHA-256 of the report it printed; a signed report
     is not changed any more. Audited `unit_report_sign`. */ `
  alter table unit_reports
    add column signed_pdf bytea,
    add column signed_at timestamptz,
    add column signed_by text,
    add column signer_name text check (length(signer_name) <= 200),
    add column signed_content text check (signed_content ~ '^[0-9a-f]{64}$');
  alter table audit drop constraint audit_action_check;
  alter table audit add constraint audit_action_check check (action in ('write', 'deliver', 'open', 'disable', 'enable', 'account_create', 'account_change', 'password_reset', 'unit_change', 'catalog_import', 'device_revoke', 'unit_report_change', 'bulletin_publish', 'bulletin_withdraw', 'sign', 'calendar_change', 'record_consent', 'record_start', 'record_stop', 'invite_create', 'invite_revoke', 'invite_join', 'fhir_export', 'fhir_import', 'unit_report_sign'));
  `
];
