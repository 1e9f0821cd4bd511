import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import { findWidgetById } from '../widgets/lookups.js';
import { allowedOriginsOf } from '../widgets/widget.presenter.js';
import { assertCredentialLive } from './credential-check.js';
import { assertVisitorOrigin } from './origin-policy.js';
import { findCredentialByHash } from './visitor.repository.js';

/** The visitor behind a live credential, from Parley's origin or one the widget allows. */
export async function authenticateVisitor(options: {
  db: Db;
  config: Pick<Config, 'publicOrigin'>;
  credential: string | undefined;
  widgetId?: string;
  requestOrigin: string | undefined;
}): Promise<{ visitorId: string; workspaceId: string; widgetId: string }> {
  if (!options.credential) throw new AppError('credential_invalid');
  const row = assertCredentialLive(await findCredentialByHash(options.db, hashSecret(options.credential)));
  const widget = await findWidgetById(options.db, row.widget_id);
  if (!widget || (options.widgetId && options.widgetId !== widget.id))
    throw new AppError('credential_invalid');
  assertVisitorOrigin(options.config, allowedOriginsOf(widget), options.requestOrigin);
  return { visitorId: row.visitor_id, workspaceId: row.workspace_id, widgetId: widget.id };
}
