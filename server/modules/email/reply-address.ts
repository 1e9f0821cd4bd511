import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';

/**
 * The addresses and links in a mail to a visitor, each bound to one conversation by an HMAC under
 * the workspace's mail tag key (encryption/vault.ts): `reply+<conversationId>.<tag>@<domain>` for
 * answers, and an unsubscribe token. Without the key nobody can make one for another conversation;
 * tags are compared in constant time.
 */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const REPLY = new RegExp(`^reply\\+(${UUID})\\.([a-z2-7]{20})$`);
const UNSUBSCRIBE = new RegExp(`^(${UUID})\\.([A-Za-z0-9_-]{43})$`);

type Purpose = 'reply' | 'unsubscribe';

async function tag(
  deps: { db: Executor; vault: Vault },
  workspaceId: string,
  purpose: Purpose,
  conversationId: string,
): Promise<Buffer> {
  const key = await deps.vault.mailTagKey(deps.db, workspaceId);
  return createHmac('sha256', key).update(`${purpose}/${conversationId}`, 'utf8').digest();
}

/** Mail systems may lower-case a local part: the reply tag is lower-case base32 (100 bits). */
function base32(bytes: Buffer, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

export async function replyAddressOf(
  deps: { db: Executor; vault: Vault },
  o: { workspaceId: string; conversationId: string; domain: string },
): Promise<string> {
  const t = base32(await tag(deps, o.workspaceId, 'reply', o.conversationId), 20);
  return `reply+${o.conversationId}.${t}@${o.domain}`;
}

export async function unsubscribeTokenOf(
  deps: { db: Executor; vault: Vault },
  o: { workspaceId: string; conversationId: string },
): Promise<string> {
  const t = (await tag(deps, o.workspaceId, 'unsubscribe', o.conversationId)).toString('base64url');
  return `${o.conversationId}.${t}`;
}

/** The conversation a reply address names, if its tag is right for it; null for anything else. */
export async function conversationOfReplyAddress(
  deps: { db: Executor; vault: Vault },
  address: string,
  domain: string,
): Promise<{ conversationId: string; workspaceId: string } | null> {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain) return null;
  const match = REPLY.exec(address.slice(0, at).toLowerCase());
  if (!match) return null;
  const [, conversationId, given] = match as unknown as [string, string, string];
  return checked(deps, conversationId, 'reply', (expected) => constantTimeEqual(base32(expected, 20), given));
}

/** The conversation an unsubscribe token names, if its tag is right; null otherwise. */
export async function conversationOfUnsubscribeToken(
  deps: { db: Executor; vault: Vault },
  token: string,
): Promise<{ conversationId: string; workspaceId: string } | null> {
  const match = UNSUBSCRIBE.exec(token);
  if (!match) return null;
  const [, conversationId, given] = match as unknown as [string, string, string];
  return checked(deps, conversationId, 'unsubscribe', (expected) =>
    constantTimeEqual(expected.toString('base64url'), given),
  );
}

async function checked(
  deps: { db: Executor; vault: Vault },
  conversationId: string,
  purpose: Purpose,
  matches: (expected: Buffer) => boolean,
): Promise<{ conversationId: string; workspaceId: string } | null> {
  const key = await deps.vault.forConversation(deps.db, conversationId).catch(() => null);
  if (!key) return null;
  const expected = await tag(deps, key.workspaceId, purpose, conversationId);
  return matches(expected) ? { conversationId, workspaceId: key.workspaceId } : null;
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
