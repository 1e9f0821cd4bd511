import type { LauncherLabels } from '../../../protocol/api.js';
import { languageFromHeader } from '../../i18n/accept-language.js';
import { languageOf, visitorText } from '../../i18n/visitor-texts.js';
import type { WidgetsTable } from '../../platform/db/schema.js';

/**
 * The launcher's words for the loader, in the language the widget will show: the browser's
 * (Accept-Language carries navigator.languages) within the widget's settings, as the iframe chooses.
 */
export function launcherLabels(
  widget: Pick<WidgetsTable, 'default_language' | 'always_default_language'>,
  acceptLanguage: string | undefined,
): LauncherLabels {
  const fallback = languageOf(widget.default_language);
  const lang =
    widget.always_default_language === 1 ? fallback : (languageFromHeader(acceptLanguage) ?? fallback);
  return {
    lang,
    region: visitorText(lang, 'launcherRegion'),
    open: visitorText(lang, 'launcherOpen'),
    unread: visitorText(lang, 'launcherUnread'),
  };
}
