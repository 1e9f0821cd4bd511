import type { Config } from '../config.js';
import { listOutboxMail } from '../modules/users/list-outbox-mail.js';
import { openKeyRing } from '../platform/crypto/key-ring.js';
import type { Db } from '../platform/db/schema.js';

/**
 * `parley outbox`: prints the invitation and reset mail waiting in the embedded outbox, links
 * included. The host operator holds the database and the master key, so nothing is kept from them;
 * the dashboard hides reset links from administrators (see listOutboxMail).
 */
export async function outboxCommand(
  config: Config,
  db: Db,
  workspaceId: string | undefined,
): Promise<number> {
  const { ring } = openKeyRing(config.dataProtection.masterKey);
  const mail = await listOutboxMail({
    db,
    ring,
    workspaceId: workspaceId ?? null,
    reader: { kind: 'host-operator' },
  });
  if (mail.length === 0) {
    console.log('The outbox is empty (mail whose link expired is removed).');
    return 0;
  }
  console.log('These links work until they expire: pass each one only to the person it is addressed to.\n');
  for (const m of mail.reverse()) {
    console.log(`── ${m.createdAt}  workspace ${m.workspaceId}`);
    console.log(`To: ${m.to}\nSubject: ${m.subject}\nExpires: ${m.expiresAt}\n\n${m.body}\n`);
  }
  return 0;
}
