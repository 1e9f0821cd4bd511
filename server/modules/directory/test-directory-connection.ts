import type { DirectorySettingsBody, DirectoryTestResult } from '../../../protocol/directory.js';
import type { Config } from '../../config.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { findDirectoryOfWorkspace } from './directory.repository.js';
import { checkDirectorySettings } from './directory-policy.js';
import { openBindPassword } from './directory-settings.js';
import {
  type ConnectionFailure,
  classify,
  closeConnection,
  DirectoryError,
  openConnection,
  tryBind,
} from './ldap-connection.js';

const MESSAGES: Record<ConnectionFailure | 'ok', string> = {
  ok: 'Connected: the search account signed in and the base DN was found.',
  unreachable:
    'The directory server could not be reached at this address and port (refused, timed out or no such host).',
  tls: 'The encrypted connection failed: the server’s certificate is not signed by the CA given, does not name this host, or the server does not offer TLS/StartTLS here.',
  service_bind: 'The directory refused the search account: check its DN and password.',
  search:
    'The search account signed in, but the base DN could not be read: check the base DN and the account’s read access.',
};

/**
 * "Test connection" on the settings screen: with the settings as typed (the saved search password
 * when none is typed), connect, bind as the search account and read the base DN. The answer names
 * the step that failed in Parley's own words: it never echoes the password or the server's text.
 */
export async function testDirectoryConnection(options: {
  db: Db;
  ring: KeyRing;
  config: Pick<Config, 'directory'>;
  workspaceId: string;
  body: DirectorySettingsBody;
}): Promise<DirectoryTestResult> {
  const { body } = options;
  const saved = await findDirectoryOfWorkspace(options.db, options.workspaceId);
  checkDirectorySettings(body, {
    allowPlain: options.config.directory.allowPlain,
    hasSavedPassword: Boolean(saved),
  });
  const password = body.bindPassword ?? (saved ? openBindPassword(options.ring, saved) : '');
  try {
    const client = await openConnection({
      url: body.url,
      startTls: body.startTls,
      caPem: body.caPem,
      timeoutMs: options.config.directory.timeoutMs,
    });
    try {
      if (!(await tryBind(client, body.bindDn, password)))
        throw new DirectoryError('service_bind', 'refused');
      try {
        await client.search(body.baseDn, {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: ['dn'],
          sizeLimit: 1,
        });
      } catch (err) {
        throw classify(err, 'search');
      }
    } finally {
      await closeConnection(client);
    }
  } catch (err) {
    const step = classify(err, 'unreachable').step;
    return { ok: false, failedStep: step, message: MESSAGES[step] };
  }
  return { ok: true, failedStep: null, message: MESSAGES.ok };
}
