import type { WidgetPatch } from '../../../protocol/api.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { assertSecureOrigins, normalizeOrigins } from './normalize-origins.js';
import { requireWidget } from './require-widget.js';
import { allowedOriginsOf, storedTranslations } from './widget.presenter.js';
import { updateWidgetRow } from './widget.repository.js';

export async function updateWidget(options: {
  db: Db;
  workspaceId: string;
  widgetId: string;
  patch: WidgetPatch;
  /** Parley's public origin: an https:// one refuses plain http:// allowed origins (assertSecureOrigins). */
  publicOrigin: string;
}) {
  const { db, workspaceId, widgetId, patch } = options;
  return db.transaction().execute(async (trx) => {
    const current = await requireWidget(trx, workspaceId, widgetId);
    const origins =
      patch.allowedOrigins !== undefined ? normalizeOrigins(patch.allowedOrigins) : allowedOriginsOf(current);
    // Checked on the result: turning the permission off while http:// origins remain is refused too.
    assertSecureOrigins({
      origins,
      publicOrigin: options.publicOrigin,
      allowInsecure: patch.allowInsecureOrigins ?? current.allow_insecure_origins === 1,
    });
    await updateWidgetRow(trx, workspaceId, widgetId, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.greeting !== undefined ? { greeting: patch.greeting.trim() } : {}),
      ...(patch.botName !== undefined ? { bot_name: patch.botName.trim() } : {}),
      ...(patch.allowedOrigins !== undefined ? { allowed_origins: JSON.stringify(origins) } : {}),
      ...(patch.requireIdentity !== undefined ? { require_identity: patch.requireIdentity ? 1 : 0 } : {}),
      ...(patch.allowInsecureOrigins !== undefined
        ? { allow_insecure_origins: patch.allowInsecureOrigins ? 1 : 0 }
        : {}),
      ...(patch.callsEnabled !== undefined ? { calls_enabled: patch.callsEnabled ? 1 : 0 } : {}),
      ...(patch.botMinConfidence !== undefined ? { bot_min_confidence: patch.botMinConfidence } : {}),
      ...(patch.botHandoffAfterMisses !== undefined
        ? { bot_handoff_after_misses: patch.botHandoffAfterMisses }
        : {}),
      ...(patch.defaultLanguage !== undefined ? { default_language: patch.defaultLanguage } : {}),
      ...(patch.alwaysDefaultLanguage !== undefined
        ? { always_default_language: patch.alwaysDefaultLanguage ? 1 : 0 }
        : {}),
      ...(patch.greetingTranslations !== undefined
        ? { greeting_translations: storedTranslations(patch.greetingTranslations) }
        : {}),
      updated_at: nowIso(),
    });
    const row = await requireWidget(trx, workspaceId, widgetId);
    return row;
  });
}
