import type { Widget } from '../../../protocol/api.js';
import type { WidgetsTable } from '../../platform/db/schema.js';

export function allowedOriginsOf(row: Pick<WidgetsTable, 'allowed_origins'>): string[] {
  const parsed: unknown = JSON.parse(row.allowed_origins);
  return Array.isArray(parsed) ? parsed.filter((o): o is string => typeof o === 'string') : [];
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
    teamId: row.team_id,
    createdAt: row.created_at,
  };
}
