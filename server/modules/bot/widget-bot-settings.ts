import type { BusinessHours, ExternalBotBody, ExternalBotSettings } from '../../../protocol/flows.js';
import type { ExternalBotConfig } from '../../config-external-bot.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { OutboundRefused, resolveOutboundTarget } from '../../platform/http/outbound-address.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { requireWidget } from '../widgets/lookups.js';
import { newWebhookSecret, sealWebhookSecret } from './bot-secret.js';
import { checkHoursShape } from './business-hours.js';
import { findBotSettings, saveBotSettings } from './flow.repository.js';

export interface SettingsActor {
  db: Db;
  workspaceId: string;
  widgetId: string;
  userId: string;
  ip: string | null;
}

function widgetOf(o: SettingsActor) {
  return requireWidget(o.db, o.workspaceId, o.widgetId);
}

export async function getExternalBot(o: SettingsActor): Promise<ExternalBotSettings> {
  await widgetOf(o);
  const row = await findBotSettings(o.db, o.widgetId);
  return {
    enabled: row?.external_bot_enabled === 1,
    url: row?.external_bot_url ?? null,
    hasSecret: Boolean(row?.external_bot_secret),
  };
}

/**
 * Saves the webhook. The URL is checked against SSRF now (and again before every request, since
 * DNS can change). The first save makes the signing secret and returns it this once.
 */
export async function updateExternalBot(
  o: SettingsActor & { ring: KeyRing; config: ExternalBotConfig; body: ExternalBotBody },
): Promise<ExternalBotSettings & { secret?: string }> {
  await widgetOf(o);
  const { body } = o;
  if (body.enabled && !body.url)
    throw new AppError('invalid_request', { details: ['url: required to enable'] });
  if (body.url) {
    try {
      await resolveOutboundTarget(body.url, o.config.allowPrivate);
    } catch (err) {
      if (err instanceof OutboundRefused)
        throw new AppError('invalid_request', { details: [`url: ${err.message}`] });
      throw err;
    }
  }
  const row = await findBotSettings(o.db, o.widgetId);
  const secret = row?.external_bot_secret ? undefined : newWebhookSecret();
  await o.db.transaction().execute(async (trx) => {
    await saveBotSettings(
      trx,
      { widget_id: o.widgetId, workspace_id: o.workspaceId },
      {
        external_bot_enabled: body.enabled ? 1 : 0,
        external_bot_url: body.url,
        ...(secret ? { external_bot_secret: sealWebhookSecret(o.ring, o.widgetId, secret) } : {}),
        updated_at: nowIso(),
      },
    );
    await audit(trx, o, 'widget.external_bot.updated');
  });
  return { enabled: body.enabled, url: body.url, hasSecret: true, ...(secret ? { secret } : {}) };
}

/** A new signing secret, shown once; requests are signed with it from now on. */
export async function rotateExternalBotSecret(
  o: SettingsActor & { ring: KeyRing },
): Promise<{ secret: string }> {
  await widgetOf(o);
  const secret = newWebhookSecret();
  await o.db.transaction().execute(async (trx) => {
    await saveBotSettings(
      trx,
      { widget_id: o.widgetId, workspace_id: o.workspaceId },
      { external_bot_secret: sealWebhookSecret(o.ring, o.widgetId, secret), updated_at: nowIso() },
    );
    await audit(trx, o, 'widget.external_bot.secret_rotated');
  });
  return { secret };
}

export const NO_HOURS: BusinessHours = { enabled: false, timeZone: 'UTC', weekly: [], holidays: [] };

export async function getBusinessHours(o: SettingsActor): Promise<BusinessHours> {
  await widgetOf(o);
  const row = await findBotSettings(o.db, o.widgetId);
  return row?.business_hours ? (JSON.parse(row.business_hours) as BusinessHours) : NO_HOURS;
}

export async function updateBusinessHours(
  o: SettingsActor & { body: BusinessHours },
): Promise<BusinessHours> {
  await widgetOf(o);
  const problems = checkHoursShape(o.body);
  if (problems.length > 0) throw new AppError('invalid_request', { details: problems });
  const hours: BusinessHours = { ...o.body, holidays: [...new Set(o.body.holidays)].sort() };
  await o.db.transaction().execute(async (trx) => {
    await saveBotSettings(
      trx,
      { widget_id: o.widgetId, workspace_id: o.workspaceId },
      { business_hours: JSON.stringify(hours), updated_at: nowIso() },
    );
    await audit(trx, o, 'widget.business_hours.updated');
  });
  return hours;
}

function audit(trx: Parameters<typeof recordAuditEvent>[0], o: SettingsActor, action: string) {
  return recordAuditEvent(trx, {
    workspaceId: o.workspaceId,
    actor: { type: 'user', id: o.userId },
    action,
    target: { type: 'widget', id: o.widgetId },
    ip: o.ip,
  });
}
