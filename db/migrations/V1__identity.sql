-- Identity: tenants, local users, memberships and API keys.
-- Everything a tenant owns carries tenant_id; users are global so one person can belong to several tenants.

create table tenants (
    id          uuid primary key,
    slug        varchar(63)  not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        varchar(200) not null,
    created_at  timestamptz  not null default now()
);

create table users (
    id             uuid primary key,
    username       varchar(100) not null unique,
    password_hash  varchar(255) not null,
    disabled       boolean      not null default false,
    created_at     timestamptz  not null default now()
);

create table memberships (
    tenant_id   uuid        not null references tenants (id) on delete cascade,
    user_id     uuid        not null references users (id) on delete cascade,
    role        varchar(16) not null check (role in ('admin', 'editor', 'viewer')),
    created_at  timestamptz not null default now(),
    primary key (tenant_id, user_id)
);
create index memberships_user_idx on memberships (user_id);

create table api_keys (
    id              uuid primary key,
    tenant_id       uuid         not null references tenants (id) on delete cascade,
    name            varchar(100) not null,
    -- First characters of the key, shown in lists so people can tell keys apart; not a secret.
    display_prefix  varchar(16)  not null,
    -- SHA-256 of the whole key. Keys carry >= 128 bits of entropy, so a fast hash is enough.
    key_hash        bytea        not null unique,
    scopes          varchar(16)[] not null check (cardinality(scopes) > 0),
    created_by      uuid         references users (id) on delete set null,
    created_at      timestamptz  not null default now(),
    last_used_at    timestamptz,
    revoked_at      timestamptz
);
create index api_keys_tenant_idx on api_keys (tenant_id);

-- One row once first-start bootstrap has run, so a restart never creates a second admin.
create table bootstrap_state (
    id            smallint primary key check (id = 1),
    tenant_id     uuid        not null references tenants (id),
    completed_at  timestamptz not null default now()
);
