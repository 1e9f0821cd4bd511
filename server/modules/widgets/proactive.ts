import type { Language, Translations } from '../../../protocol/languages.js';
import type { ProactiveRule, ProactiveRuleBody, PublicProactive } from '../../../protocol/proactive.js';
import { AppError } from '../../errors.js';
import { visitorText } from '../../i18n/visitor-texts.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import type { WidgetProactiveTable } from '../../platform/db/schema-branding.js';
import { requireWidget } from './require-widget.js';
import { greetingTranslationsOf, storedTranslations } from './widget.presenter.js';

export const PROACTIVE_DEFAULTS: ProactiveRuleBody = {
  enabled: false,
  delaySeconds: 30,
  path: '/*',
  text: 'Questions? We are here to help.',
  textTranslations: {},
};

export function findProactive(db: Executor, widgetId: string) {
  return db.selectFrom('widget_proactive').selectAll().where('widget_id', '=', widgetId).executeTakeFirst();
}

const translationsOf = (row: WidgetProactiveTable): Translations =>
  greetingTranslationsOf({ greeting_translations: row.text_translations });

export function presentProactive(widgetId: string, row: WidgetProactiveTable | undefined): ProactiveRule {
  if (!row) return { widgetId, ...PROACTIVE_DEFAULTS, version: 0 };
  return {
    widgetId,
    enabled: row.enabled === 1,
    delaySeconds: row.delay_seconds,
    path: row.path_glob,
    text: row.text,
    textTranslations: translationsOf(row),
    version: row.version,
  };
}

/** Sets a widget's proactive message; every change is a new version (shown once more to everyone). */
export async function updateProactive(o: {
  db: Db;
  workspaceId: string;
  widgetId: string;
  body: ProactiveRuleBody;
}): Promise<ProactiveRule> {
  const { db, workspaceId, widgetId, body } = o;
  const text = body.text.trim();
  if (!text) throw new AppError('invalid_request', { details: ['text: write the message'] });
  return db.transaction().execute(async (trx) => {
    await requireWidget(trx, workspaceId, widgetId);
    const current = await findProactive(trx, widgetId);
    const row: WidgetProactiveTable = {
      widget_id: widgetId,
      workspace_id: workspaceId,
      enabled: body.enabled ? 1 : 0,
      delay_seconds: body.delaySeconds,
      path_glob: body.path,
      text,
      text_translations: storedTranslations(body.textTranslations),
      version: (current?.version ?? 0) + 1,
      updated_at: nowIso(),
    };
    const { widget_id: _id, workspace_id: _ws, ...settings } = row;
    await trx
      .insertInto('widget_proactive')
      .values(row)
      .onConflict((oc) => oc.column('widget_id').doUpdateSet(settings))
      .execute();
    return presentProactive(widgetId, row);
  });
}

/** What the loader gets, in the launcher's language; nothing when the rule is off. */
export async function publicProactive(
  db: Executor,
  widgetId: string,
  lang: Language,
): Promise<PublicProactive | undefined> {
  const row = await findProactive(db, widgetId);
  if (row?.enabled !== 1) return undefined;
  return {
    delaySeconds: row.delay_seconds,
    path: row.path_glob,
    text: translationsOf(row)[lang] ?? row.text,
    close: visitorText(lang, 'proactiveClose'),
    version: row.version,
  };
}
