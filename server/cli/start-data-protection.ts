import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { createAttachmentStore } from '../modules/attachments/attachment-store.js';
import { sweepAttachmentFiles } from '../modules/attachments/sweep-attachment-files.js';
import { createDirectoryRecheckJob } from '../modules/directory/create-recheck-job.js';
import { countDataKeysByKek } from '../modules/encryption/data-key.repository.js';
import { countRingSecrets, underAnyKey } from '../modules/encryption/ring-secrets.js';
import { sealLegacyRows } from '../modules/encryption/seal-legacy-rows.js';
import { Vault } from '../modules/encryption/vault.js';
import { moveTotpSecretsToRing } from '../modules/mfa/move-totp-secrets-to-ring.js';
import { createRetentionJob } from '../modules/retention/create-retention-job.js';
import { createOidcRecheckJob } from '../modules/sso/create-recheck-job.js';
import { resealOutboxMail } from '../modules/users/reseal-outbox-mail.js';
import { resealIdentitySecrets } from '../modules/widgets/reseal-identity-secrets.js';
import type { KeyRing } from '../platform/crypto/key-ring.js';
import { openKeyRing } from '../platform/crypto/key-ring.js';
import type { DbHandle } from '../platform/db/create-db.js';
import type { Db } from '../platform/db/schema.js';
import type { PubSub } from '../platform/pubsub/pubsub.js';

/**
 * What `parley start` does for data protection before serving: open the key ring (the embedded
 * default makes a key file on first start, and says to back it up), seal rows and secrets written
 * before they were encrypted; and after: run the retention scheduler.
 */
export async function openVaultForStart(config: Config, db: DbHandle): Promise<Vault> {
  const source = config.dataProtection.masterKey;
  if (source.kind === 'file') {
    // A missing key file with anything sealed in the database is a lost key, not a first start.
    const existing = (await countDataKeysByKek(db.db)).length + underAnyKey(await countRingSecrets(db.db));
    const { ring, created } = openKeyRing(source, { allowCreate: existing === 0 });
    if (created) {
      console.log(`\nCreated the master key file ${source.file} (mode 0600).`);
      console.log(
        '  Back it up now, apart from the database and its backups: without it, messages cannot be read.',
      );
    }
    return new Vault(ring, { cacheSize: config.dataProtection.keyCacheSize });
  }
  return new Vault(openKeyRing(source).ring, { cacheSize: config.dataProtection.keyCacheSize });
}

type StartLog = Pick<FastifyBaseLogger, 'info' | 'warn'>;

/**
 * Secrets from versions that kept them outside the master key ring: widget identity secrets and
 * outbox mail stored as they were, TOTP secrets sealed with the separate mfa.key. Each start seals
 * what is left of them; after the first there is nothing to do. What cannot be moved (TOTP secrets
 * without their old key) stays as it is, and the log says what that means and what to do.
 */
export async function sealSecretsAtStart(o: {
  db: Db;
  ring: KeyRing;
  config: Pick<Config, 'mfaKey' | 'dataDir'>;
  log: StartLog;
}): Promise<void> {
  const { db, ring, log } = o;
  const identity = await resealIdentitySecrets({ db, ring, unsealedOnly: true });
  if (identity > 0)
    log.info({ sealed: identity }, 'sealed widget identity secrets under the master key ring');
  const outbox = await resealOutboxMail({ db, ring, unsealedOnly: true });
  if (outbox > 0) log.info({ sealed: outbox }, 'sealed outbox mail under the master key ring');
  const totp = await moveTotpSecretsToRing({ db, ring, config: o.config });
  if (totp.moved > 0)
    log.info(
      { moved: totp.moved, from: totp.keyFrom },
      'moved TOTP secrets from the retired mfa key to the master key ring',
    );
  if (totp.left > 0) {
    log.warn(
      { left: totp.left, keyFile: totp.keyFile, keyFrom: totp.keyFrom },
      totp.keyFrom === null
        ? `${totp.left} TOTP secrets are still sealed with the retired mfa key, and this node has neither PARLEY_MFA_KEY nor ${totp.keyFile}. Their owners cannot sign in with their authenticator app (they are told to use a recovery code or a passkey, then set the app up again). To keep their setups: put the old key back (PARLEY_MFA_KEY or ${totp.keyFile}) and restart; Parley then moves them under the master key ring.`
        : `${totp.left} TOTP secrets sealed with a retired mfa key do not open with ${totp.keyFrom}: they were sealed with another node's key. Start a node that has that key once (PARLEY_MFA_KEY or its mfa.key) to move them; until then their owners sign in with a recovery code or a passkey.`,
    );
  } else if (o.config.mfaKey) {
    log.warn(
      'PARLEY_MFA_KEY is deprecated and no longer used: every TOTP secret is under the master key ring. Remove it from the configuration (keep it with backups taken before this version).',
    );
  }
}

export async function afterStart(options: {
  config: Config;
  db: DbHandle;
  vault: Vault;
  log: FastifyBaseLogger;
  /** For the directory and OpenID Connect re-checks, which end sessions on every node. */
  pubsub: PubSub;
}): Promise<() => Promise<void>> {
  const { config, db, vault, log } = options;
  const sealed = await sealLegacyRows({ db: db.db, vault });
  if (sealed > 0) log.info({ sealed }, 'sealed rows written before encryption at rest');
  await sealSecretsAtStart({ db: db.db, ring: vault.ring, config, log });
  const store = createAttachmentStore(config);
  const job = createRetentionJob({
    db: db.db,
    vault,
    config,
    log,
    sweepFiles: () => sweepAttachmentFiles({ db: db.db, store }),
  });
  job.start(config.dataProtection.retentionIntervalSeconds, (err) =>
    log.error({ err }, 'retention run failed'),
  );
  const recheck = createDirectoryRecheckJob({
    db: db.db,
    ring: vault.ring,
    pubsub: options.pubsub,
    config,
    log,
  });
  recheck.start(config.directory.recheckSeconds, (err) => log.error({ err }, 'directory re-check failed'));
  const oidcRecheck = createOidcRecheckJob({ db: db.db, ring: vault.ring, pubsub: options.pubsub, log });
  oidcRecheck.start(config.oidc.recheckSeconds, (err) => log.error({ err }, 'oidc re-check failed'));
  if (config.directory.allowPlain)
    log.warn(
      'PARLEY_LDAP_ALLOW_PLAIN is true: directories may be saved on plain ldap://, where passwords cross the network readable.',
    );
  return async () => {
    await oidcRecheck.stop();
    await recheck.stop();
    await job.stop();
  };
}
