import type { LauncherLabels } from '../../../protocol/api.js';
import { languageFromHeader } from '../../i18n/accept-language.js';
import { languageOf, visitorText } from '../../i18n/visitor-texts.js';
import type { WidgetsTable } from '../../platform/db/schema.js';

/**
 * The launcher's words for the loader, in the language the widget will show: the browser's
 * (Accept-Language carries navigator.languages) within the widget's settings, as the iframe chooses.
 * `open` and `unread` are the launcher's whole accessible names, composed here so the loader stays
 * small: a visible label (branding) is their start, since it is what a voice-control user says.
 */
export function launcherLabels(
  widget: Pick<WidgetsTable, 'default_language' | 'always_default_language'>,
  acceptLanguage: string | undefined,
  label = '',
): LauncherLabels {
  const fallback = languageOf(widget.default_language);
  const lang =
    widget.always_default_language === 1 ? fallback : (languageFromHeader(acceptLanguage) ?? fallback);
  return {
    lang,
    region: visitorText(lang, 'launcherRegion'),
    open: label || visitorText(lang, 'launcherOpen'),
    unread: (label ? `${label}: ` : '') + visitorText(lang, 'launcherUnread'),
  };
}
