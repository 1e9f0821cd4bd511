import { randomUUID } from 'node:crypto';
import type { Directory, DirectorySettingsBody } from '../../../protocol/directory.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { presentDirectory } from './directory.presenter.js';
import {
  findDirectoryByDomain,
  findDirectoryOfWorkspace,
  insertDirectory,
  listMappings,
  replaceMappings,
  updateDirectory,
} from './directory.repository.js';
import { checkDirectorySettings, isPlain } from './directory-policy.js';
import { sealBindPassword } from './directory-settings.js';
import { normalizeDn } from './directory-user.js';

/**
 * Creates or replaces a workspace's directory and its group → role mappings, in one transaction
 * with its audit entries (what changed, never the password). The search password is sealed under
 * the master key ring; left out, the saved one stays.
 */
export async function saveDirectory(options: {
  db: Db;
  ring: KeyRing;
  config: Pick<Config, 'directory'>;
  workspaceId: string;
  userId: string;
  body: DirectorySettingsBody;
  ip: string | null;
  log?: SecurityLogger;
}): Promise<Directory> {
  const { db, body, workspaceId } = options;
  const domain = body.emailDomain.toLowerCase();
  return db.transaction().execute(async (trx) => {
    const existing = await findDirectoryOfWorkspace(trx, workspaceId);
    checkDirectorySettings(body, {
      allowPlain: options.config.directory.allowPlain,
      hasSavedPassword: existing !== undefined,
    });
    const claimed = await findDirectoryByDomain(trx, domain);
    if (claimed && claimed.workspace_id !== workspaceId) throw new AppError('directory_domain_taken');
    const id = existing?.id ?? randomUUID();
    const at = nowIso();
    const fields = {
      email_domain: domain,
      url: body.url,
      start_tls: body.startTls ? 1 : 0,
      ca_pem: body.caPem?.trim() ?? null,
      bind_dn: body.bindDn.trim(),
      bind_password: body.bindPassword
        ? sealBindPassword(options.ring, id, body.bindPassword)
        : (existing?.bind_password as string),
      base_dn: body.baseDn.trim(),
      user_attribute: body.userAttribute,
      group_mode: body.groupMode,
      group_base_dn: body.groupBaseDn?.trim() || null,
      enabled: body.enabled ? 1 : 0,
      updated_at: at,
    };
    if (existing) await updateDirectory(trx, id, fields);
    else await insertDirectory(trx, { id, workspace_id: workspaceId, created_at: at, ...fields });
    const seen = new Set<string>();
    const mappings = [];
    for (const m of body.mappings) {
      const groupDn = normalizeDn(m.groupDn);
      if (seen.has(groupDn))
        throw new AppError('invalid_request', {
          message: 'Each group can be mapped to one role only.',
          details: [`body/mappings: ${groupDn} appears twice`],
        });
      seen.add(groupDn);
      mappings.push({ id: randomUUID(), directory_id: id, group_dn: groupDn, role: m.role });
    }
    const before = existing ? await listMappings(trx, id) : [];
    await replaceMappings(trx, id, mappings);
    const audit = (action: string, details: Record<string, string | number | boolean>) =>
      recordAuditEvent(
        trx,
        {
          workspaceId,
          actor: { type: 'user', id: options.userId },
          action,
          target: { type: 'directory', id },
          ip: options.ip,
          details,
        },
        options.log,
      );
    await audit(existing ? 'directory.updated' : 'directory.created', {
      url: body.url,
      startTls: body.startTls,
      plain: isPlain(body.url, body.startTls),
      enabled: body.enabled,
      passwordChanged: Boolean(body.bindPassword),
    });
    const describe = (rows: { group_dn: string; role: string }[]) =>
      rows
        .map((r) => `${r.group_dn}=>${r.role}`)
        .sort()
        .join(';');
    if (describe(before) !== describe(mappings))
      await audit('directory.mappings.changed', {
        count: mappings.length,
        mappings: describe(mappings).slice(0, 2000),
      });
    return presentDirectory(
      (await findDirectoryOfWorkspace(trx, workspaceId)) as NonNullable<typeof existing>,
      await listMappings(trx, id),
    );
  });
}
