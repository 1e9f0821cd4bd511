import { createHmac } from 'node:crypto';
import type { Executor } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';

/**
 * The keyed hash of a Message-ID that finds an answer's conversation: under the workspace's mail
 * tag key, so the table holds no id anyone could look up without it. Ids compare case-blind here:
 * some mail systems change the case of what they quote back.
 */
export async function mailKeyOf(
  deps: { db: Executor; vault: Vault },
  workspaceId: string,
  messageId: string,
): Promise<string> {
  const key = await deps.vault.mailTagKey(deps.db, workspaceId);
  return createHmac('sha256', key)
    .update(`message-id/${messageId.toLowerCase()}`, 'utf8')
    .digest('base64url');
}

/** The subject line a conversation's first mail gave it, as stored at the head of that message. */
export const SUBJECT_PREFIX = 'Subject: ';

export function subjectOf(body: string): string | null {
  if (!body.startsWith(SUBJECT_PREFIX)) return null;
  const line = body.slice(SUBJECT_PREFIX.length).split('\n')[0]?.trim();
  return line || null;
}
