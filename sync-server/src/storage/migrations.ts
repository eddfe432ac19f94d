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
  `
];
