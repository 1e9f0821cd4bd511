import type { Passkey } from '../../../protocol/mfa.js';
import type { Executor } from '../../platform/db/schema.js';
import { presentPasskey } from './passkey.presenter.js';
import { countUserPasskeys, listUserPasskeys } from './passkey.repository.js';

export async function listPasskeys(db: Executor, userId: string): Promise<Passkey[]> {
  return (await listUserPasskeys(db, userId)).map(presentPasskey);
}

export function countPasskeys(db: Executor, userId: string): Promise<number> {
  return countUserPasskeys(db, userId);
}
