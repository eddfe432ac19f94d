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
  `
];
