import type { Kysely } from 'kysely';

// Second factors: TOTP (sealed secret, last accepted time step), recovery codes (hashed), passkeys,
// single-use WebAuthn challenges, per-workspace MFA requirements and per-session second-factor state.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('totp_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    // Null while the user has not yet confirmed the setup with a first code.
    .addColumn('confirmed_at', 'text')
    // RFC 6238 time step of the last accepted code: a code for this step or an earlier one is a replay.
    .addColumn('last_used_step', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').columns(['user_id']).execute();

  await db.schema
    .createTable('passkeys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    // WebAuthn signature counters are unsigned 32-bit: too large for PostgreSQL's integer.
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('device_type', 'text', (c) => c.notNull())
    .addColumn('backed_up', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('passkeys_user').on('passkeys').columns(['user_id']).execute();

  // A passwordless sign-in challenge is issued before anyone is known, so its workspace may be null.
  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('session_id', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('challenge_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webauthn_challenges_expiry')
    .on('webauthn_challenges')
    .columns(['expires_at'])
    .execute();

  await db.schema
    .createTable('mfa_policies')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('workspace_required', 'integer', (c) => c.notNull())
    // JSON array of roles that must use MFA (in addition to, or instead of, the whole workspace).
    .addColumn('required_roles', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('session_factors')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // Wrong second-factor attempts on this session; the session ends at the limit.
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    // When this session was issued by a verified second factor (for "recently verified" checks).
    .addColumn('verified_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('session_factors_user')
    .on('session_factors')
    .columns(['user_id', 'updated_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'session_factors',
    'mfa_policies',
    'webauthn_challenges',
    'passkeys',
    'recovery_codes',
    'totp_credentials',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
