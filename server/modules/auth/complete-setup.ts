import type { SetupBody } from '../../../protocol/api.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { createUser } from '../users/create-user.js';
import { countMembers } from '../users/lookups.js';
import { nameWorkspace } from '../workspaces/name-workspace.js';
import type { Agent } from './agent.js';
import { createSession } from './create-session.js';
import { checkPasswordPolicy } from './password-policy.js';
import { consumeSetupToken } from './setup-token.repository.js';

/** Uses a setup link once: creates the first administrator, names the workspace, signs them in. */
export async function completeSetup(options: {
  db: Db;
  config: Pick<Config, 'passwordMinLength' | 'sessionAbsoluteMs'>;
  body: SetupBody;
  ip: string | null;
  userAgent: string | null;
}) {
  const { db, config, body } = options;
  checkPasswordPolicy(body.password, {
    minLength: config.passwordMinLength,
    email: body.email,
    name: body.name,
  });
  return db.transaction().execute(async (trx) => {
    const token = await consumeSetupToken(trx, hashSecret(body.token), nowIso());
    if (!token) throw new AppError('setup_token_invalid');
    if ((await countMembers(trx, token.workspace_id)) > 0) throw new AppError('setup_complete');
    const user = await createUser({
      db: trx,
      config,
      workspaceId: token.workspace_id,
      email: body.email,
      name: body.name,
      password: body.password,
      role: 'administrator',
    });
    await nameWorkspace(trx, token.workspace_id, body.workspaceName.trim());
    const session = await createSession({
      db: trx,
      config,
      workspaceId: token.workspace_id,
      userId: user.id,
      ip: options.ip,
      userAgent: options.userAgent,
    });
    await recordAuditEvent(trx, {
      workspaceId: token.workspace_id,
      actor: { type: 'user', id: user.id },
      action: 'workspace.setup_completed',
      target: { type: 'user', id: user.id },
      ip: options.ip,
    });
    const agent: Agent = {
      userId: user.id,
      sessionId: session.id,
      workspaceId: token.workspace_id,
      role: 'administrator',
      name: user.name,
      email: user.email,
      stage: 'full',
    };
    return { agent, session };
  });
}
