import { randomUUID } from 'node:crypto';
import type { WidgetBody } from '../../../protocol/api.js';
import { BOT_DEFAULTS } from '../../../protocol/api.js';
import { DEFAULT_LANGUAGE } from '../../../protocol/languages.js';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Executor, WidgetsTable } from '../../platform/db/schema.js';
import { newWidgetSecret, sealWidgetSecret } from '../visitors/widget-secret.js';
import { assertSecureOrigins, normalizeOrigins } from './normalize-origins.js';
import { storedTranslations } from './widget.presenter.js';
import { insertWidget } from './widget.repository.js';

export async function createWidget(options: {
  db: Executor;
  ring: KeyRing;
  workspaceId: string;
  body: WidgetBody;
  /** Parley's public origin: an https:// one refuses plain http:// allowed origins (assertSecureOrigins). */
  publicOrigin: string;
}) {
  const at = nowIso();
  const id = randomUUID();
  const origins = normalizeOrigins(options.body.allowedOrigins);
  const allowInsecure = options.body.allowInsecureOrigins ?? false;
  assertSecureOrigins({ origins, publicOrigin: options.publicOrigin, allowInsecure });
  const row: WidgetsTable = {
    id,
    workspace_id: options.workspaceId,
    name: options.body.name.trim(),
    greeting: options.body.greeting.trim(),
    bot_name: options.body.botName?.trim() || 'Assistant',
    allowed_origins: JSON.stringify(origins),
    identity_secret: sealWidgetSecret(options.ring, newWidgetSecret(), id),
    require_identity: options.body.requireIdentity ? 1 : 0,
    allow_insecure_origins: allowInsecure ? 1 : 0,
    calls_enabled: options.body.callsEnabled ? 1 : 0,
    bot_min_confidence: options.body.botMinConfidence ?? BOT_DEFAULTS.minConfidence,
    bot_handoff_after_misses: options.body.botHandoffAfterMisses ?? BOT_DEFAULTS.handoffAfterMisses,
    team_id: null,
    default_language: options.body.defaultLanguage ?? DEFAULT_LANGUAGE,
    always_default_language: options.body.alwaysDefaultLanguage ? 1 : 0,
    greeting_translations: storedTranslations(options.body.greetingTranslations ?? {}),
    created_at: at,
    updated_at: at,
  };
  await insertWidget(options.db, row);
  return row;
}
