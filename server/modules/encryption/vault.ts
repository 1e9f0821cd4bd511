import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { BoundedCache } from '../../platform/crypto/bounded-cache.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Executor } from '../../platform/db/schema.js';
import type { DataKeysTable } from '../../platform/db/schema-data-protection.js';
import {
  findConversationOwner,
  findDataKey,
  findDataKeys,
  insertDataKeyIfAbsent,
  visitorExists,
} from './data-key.repository.js';
import { VisitorKey } from './visitor-key.js';

const HOUR = 3_600_000;

/**
 * Envelope encryption: a random data key per visitor, stored wrapped under the key ring's current KEK,
 * unwrapped on demand and kept in bounded caches so the message path stays one map lookup. Erasure
 * deletes the wrapped key (crypto-shredding) and `forget`s it on every node.
 */
export class Vault {
  private readonly keys: BoundedCache<string, VisitorKey>;
  private readonly owners: BoundedCache<string, { visitorId: string; workspaceId: string }>;
  private readonly indexKeys: BoundedCache<string, Buffer>;
  /** Derived from the index keys: kept so the message path does not run HKDF per message. */
  private readonly searchKeys: BoundedCache<string, Buffer>;

  constructor(
    readonly ring: KeyRing,
    options: { cacheSize: number; maxAgeMs?: number },
  ) {
    const age = options.maxAgeMs ?? HOUR;
    this.keys = new BoundedCache(options.cacheSize, age);
    this.owners = new BoundedCache(options.cacheSize, age);
    this.indexKeys = new BoundedCache(1000, age);
    this.searchKeys = new BoundedCache(1000, age);
  }

  /** The visitor's key, created on first use. */
  async forVisitor(db: Executor, workspaceId: string, visitorId: string): Promise<VisitorKey> {
    const cached = this.keys.get(visitorId);
    if (cached) return cached;
    const key = await this.loadOrCreate(db, { id: visitorId, workspaceId, purpose: 'visitor' });
    const visitorKey = new VisitorKey(visitorId, workspaceId, key);
    this.keys.set(visitorId, visitorKey);
    return visitorKey;
  }

  /** Loads the keys of many visitors with one query (an inbox page), so reads stay one round trip. */
  async warm(db: Executor, visitorIds: string[]): Promise<void> {
    const missing = [...new Set(visitorIds)].filter((id) => !this.keys.get(id));
    if (missing.length === 0) return;
    for (const row of await findDataKeys(db, missing)) {
      if (row.purpose !== 'visitor') continue;
      const aad = dataKeyAad({ id: row.id, workspaceId: row.workspace_id, purpose: row.purpose });
      this.keys.set(
        row.id,
        new VisitorKey(row.id, row.workspace_id, this.ring.unwrap(row.kek_id, row.wrapped, aad)),
      );
    }
  }

  /** The key of the visitor a conversation belongs to, or null when there is no such conversation. */
  async forConversation(db: Executor, conversationId: string): Promise<VisitorKey | null> {
    let owner = this.owners.get(conversationId);
    if (!owner) {
      const row = await findConversationOwner(db, conversationId);
      if (!row) return null;
      owner = { visitorId: row.visitor_id, workspaceId: row.workspace_id };
      this.owners.set(conversationId, owner);
    }
    return this.forVisitor(db, owner.workspaceId, owner.visitorId);
  }

  /** The blind index of an email in a workspace: equal emails give equal indexes, nothing else leaks. */
  async emailIndex(db: Executor, workspaceId: string, email: string): Promise<string> {
    const key = await this.indexKey(db, workspaceId);
    return createHmac('sha256', key).update(normalizeEmail(email), 'utf8').digest('base64url');
  }

  /**
   * The workspace's search key (search/term-hasher.ts): derived from its index key (HKDF, its own
   * label), so it is wrapped under the key ring with it and re-wrapped by rotation, and a term hash
   * can never equal an email's blind index.
   */
  async searchKey(db: Executor, workspaceId: string): Promise<Buffer> {
    const cached = this.searchKeys.get(workspaceId);
    if (cached) return cached;
    const key = await this.indexKey(db, workspaceId);
    const derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'parley/search-terms/v1', 32));
    this.searchKeys.set(workspaceId, derived);
    return derived;
  }

  /**
   * The workspace's key for tagging reply addresses and unsubscribe links (email/reply-address.ts):
   * derived from its index key under a label of its own, so it is wrapped and rotated with it, and a
   * tag can never equal a blind index or a search term's hash.
   */
  async mailTagKey(db: Executor, workspaceId: string): Promise<Buffer> {
    const cacheKey = `mail:${workspaceId}`;
    const cached = this.searchKeys.get(cacheKey);
    if (cached) return cached;
    const key = await this.indexKey(db, workspaceId);
    const derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'parley/mail-tags/v1', 32));
    this.searchKeys.set(cacheKey, derived);
    return derived;
  }

  /**
   * The lookup of a messaging platform's sender id (channels/): a keyed hash under a key derived from
   * the workspace's index key under a label of its own, so equal senders meet the same visitor and
   * the hash never equals a blind index, a search term's hash or a mail tag.
   */
  async channelSenderIndex(
    db: Executor,
    workspaceId: string,
    channelId: string,
    sender: string,
  ): Promise<string> {
    const cacheKey = `channel:${workspaceId}`;
    let derived = this.searchKeys.get(cacheKey);
    if (!derived) {
      const key = await this.indexKey(db, workspaceId);
      derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'parley/channel-senders/v1', 32));
      this.searchKeys.set(cacheKey, derived);
    }
    return createHmac('sha256', derived).update(`${channelId}\n${sender}`, 'utf8').digest('base64url');
  }

  private async indexKey(db: Executor, workspaceId: string): Promise<Buffer> {
    let key = this.indexKeys.get(workspaceId);
    if (!key) {
      key = await this.loadOrCreate(db, { id: workspaceId, workspaceId, purpose: 'index' });
      this.indexKeys.set(workspaceId, key);
    }
    return key;
  }

  /** Drops a visitor's key and their conversations from this node's caches (after an erasure). */
  forget(visitorId: string): void {
    this.keys.delete(visitorId);
  }

  forgetConversation(conversationId: string): void {
    this.owners.delete(conversationId);
  }

  clear(): void {
    this.keys.clear();
    this.owners.clear();
    this.indexKeys.clear();
    this.searchKeys.clear();
  }

  get cachedKeys(): number {
    return this.keys.size;
  }

  private async loadOrCreate(
    db: Executor,
    o: { id: string; workspaceId: string; purpose: DataKeysTable['purpose'] },
  ): Promise<Buffer> {
    let row = await findDataKey(db, o.id);
    if (!row) {
      // Never mint a key for a visitor that is gone (erased while a stale socket still writes).
      if (o.purpose === 'visitor' && !(await visitorExists(db, o.id)))
        throw new AppError('visitor_not_found');
      const at = nowIso();
      const { kekId, wrapped } = this.ring.wrap(randomBytes(32), dataKeyAad(o));
      await insertDataKeyIfAbsent(db, {
        id: o.id,
        workspace_id: o.workspaceId,
        purpose: o.purpose,
        kek_id: kekId,
        wrapped,
        created_at: at,
        updated_at: at,
      });
      row = await findDataKey(db, o.id);
      if (!row) throw new Error(`data key ${o.id} vanished while it was created`);
    }
    return this.ring.unwrap(row.kek_id, row.wrapped, dataKeyAad({ ...o, workspaceId: row.workspace_id }));
  }
}

/** A wrapped key is bound to its row: swapping two visitors' wrapped keys makes both fail. */
export function dataKeyAad(o: { id: string; workspaceId: string; purpose: string }): string {
  return `parley/data_keys/${o.purpose}/${o.workspaceId}/${o.id}`;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
