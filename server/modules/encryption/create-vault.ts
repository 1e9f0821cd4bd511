import type { Config } from '../../config.js';
import { openKeyRing } from '../../platform/crypto/key-ring.js';
import { Vault } from './vault.js';

/** The vault for a node or a CLI command, from the configured key ring (never creating a key). */
export function createVault(config: Pick<Config, 'dataProtection'>): Vault {
  const { ring } = openKeyRing(config.dataProtection.masterKey);
  return new Vault(ring, { cacheSize: config.dataProtection.keyCacheSize });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Envelope encryption: visitors' data keys, cached. */
    vault: Vault;
  }
}
