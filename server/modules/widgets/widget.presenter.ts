import type { Widget } from '../../../protocol/api.js';
import { isLanguage, type Translations } from '../../../protocol/languages.js';
import { languageOf } from '../../i18n/visitor-texts.js';
import type { WidgetsTable } from '../../platform/db/schema.js';

export function allowedOriginsOf(row: Pick<WidgetsTable, 'allowed_origins'>): string[] {
  const parsed: unknown = JSON.parse(row.allowed_origins);
  return Array.isArray(parsed) ? parsed.filter((o): o is string => typeof o === 'string') : [];
}

/** The stored greeting translations: supported codes with non-empty text only. */
export function greetingTranslationsOf(row: Pick<WidgetsTable, 'greeting_translations'>): Translations {
  if (!row.greeting_translations) return {};
  const parsed: unknown = JSON.parse(row.greeting_translations);
  const out: Translations = {};
  if (!parsed || typeof parsed !== 'object') return out;
  for (const [lang, text] of Object.entries(parsed)) {
    if (isLanguage(lang) && typeof text === 'string' && text.trim()) out[lang] = text;
  }
  return out;
}

/** Translations as stored: trimmed, empty ones dropped, null when none is left. */
export function storedTranslations(translations: Translations): string | null {
  const kept = Object.entries(translations)
    .map(([lang, text]) => [lang, text?.trim() ?? ''] as const)
    .filter(([, text]) => text !== '');
  return kept.length > 0 ? JSON.stringify(Object.fromEntries(kept)) : null;
}

export function embedSnippet(publicUrl: string, widgetId: string): string {
  return `<script src="${publicUrl}/widget.js" data-parley-widget="${widgetId}" async></script>`;
}

export function presentWidget(row: WidgetsTable, publicUrl: string): Widget {
  return {
    id: row.id,
    name: row.name,
    allowedOrigins: allowedOriginsOf(row),
    greeting: row.greeting,
    botName: row.bot_name,
    botMinConfidence: row.bot_min_confidence,
    botHandoffAfterMisses: row.bot_handoff_after_misses,
    embedSnippet: embedSnippet(publicUrl, row.id),
    requireIdentity: row.require_identity === 1,
    allowInsecureOrigins: row.allow_insecure_origins === 1,
    callsEnabled: row.calls_enabled === 1,
    teamId: row.team_id,
    defaultLanguage: languageOf(row.default_language),
    alwaysDefaultLanguage: row.always_default_language === 1,
    greetingTranslations: greetingTranslationsOf(row),
    createdAt: row.created_at,
  };
}
