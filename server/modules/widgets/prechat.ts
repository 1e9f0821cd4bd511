import {
  PRECHAT_DEFAULTS,
  PRECHAT_MODES,
  type PrechatAnswersBody,
  type PrechatForm,
  type PrechatMode,
  type PrechatSettings,
  type PrechatSettingsBody,
} from '../../../protocol/prechat.js';
import { AppError } from '../../errors.js';
import { visitorText } from '../../i18n/visitor-texts.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import type { WidgetPrechatTable } from '../../platform/db/schema-branding.js';
import { findOpenConversationOfVisitor } from '../conversations/lookups.js';
import type { Vault } from '../encryption/vault.js';
import { setVisitorProfile } from '../visitors/set-visitor-profile.js';
import { findPrechat, hasVisitorMessage, upsertPrechat } from './prechat.repository.js';
import { requireWidget } from './require-widget.js';

const mode = (value: string | undefined): PrechatMode =>
  (PRECHAT_MODES as readonly string[]).includes(value ?? '') ? (value as PrechatMode) : 'off';

export function presentPrechat(widgetId: string, row: WidgetPrechatTable | undefined): PrechatSettings {
  if (!row) return { widgetId, ...PRECHAT_DEFAULTS };
  return {
    widgetId,
    enabled: row.enabled === 1,
    name: mode(row.name_field),
    email: mode(row.email_field),
    consent: mode(row.consent_field),
    privacyUrl: row.privacy_url,
  };
}

/**
 * A privacy policy's address as a browser will follow it: https, a host, no credentials. The
 * schema's pattern is a first sieve; the URL parser decides.
 */
export function safePrivacyUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return null;
  return url.href;
}

/** Sets which details a widget asks before the first message. Administrators only (the route). */
export async function updatePrechat(o: {
  db: Db;
  workspaceId: string;
  widgetId: string;
  body: PrechatSettingsBody;
}): Promise<PrechatSettings> {
  const { db, workspaceId, widgetId, body } = o;
  const privacyUrl = body.privacyUrl === null ? null : safePrivacyUrl(body.privacyUrl);
  if (body.privacyUrl !== null && privacyUrl === null) throw new AppError('privacy_url_invalid');
  // A consent box must say what is agreed to: no box without the policy it links.
  if (body.consent !== 'off' && privacyUrl === null) throw new AppError('privacy_url_invalid');
  return db.transaction().execute(async (trx) => {
    await requireWidget(trx, workspaceId, widgetId);
    await upsertPrechat(trx, {
      widget_id: widgetId,
      workspace_id: workspaceId,
      enabled: body.enabled ? 1 : 0,
      name_field: body.name,
      email_field: body.email,
      consent_field: body.consent,
      privacy_url: privacyUrl,
      updated_at: nowIso(),
    });
    return presentPrechat(widgetId, await findPrechat(trx, widgetId));
  });
}

/**
 * The form as the widget shows it, in the session's language; null when the widget asks nothing,
 * or when the visitor already wrote in this conversation (a reload does not ask again).
 */
export async function prechatFormOf(
  db: Executor,
  widgetId: string,
  conversationId: string,
  language: string,
): Promise<PrechatForm | null> {
  const s = presentPrechat(widgetId, await findPrechat(db, widgetId));
  if (!s.enabled || (s.name === 'off' && s.email === 'off' && s.consent === 'off')) return null;
  if (await hasVisitorMessage(db, conversationId)) return null;
  return {
    name: s.name,
    email: s.email,
    consent: s.consent,
    privacyUrl: s.consent === 'off' ? null : s.privacyUrl,
    consentText: visitorText(language, 'prechatConsent'),
  };
}

/**
 * What a visitor answered in the pre-chat form goes to their profile, as a flow's answers do (an
 * email there is what email continuity mails to). A consent is kept with its time, the exact
 * sentence the visitor was shown (in the conversation's language) and the policy it linked, sealed
 * with the rest of the profile: it is erased, exported and expires with the details it covers.
 */
export async function answerPrechat(o: {
  db: Db;
  vault: Vault;
  visitor: { workspaceId: string; visitorId: string; widgetId: string };
  body: PrechatAnswersBody;
  now?: Date;
}): Promise<void> {
  const { db, vault, visitor, body } = o;
  const row = await findPrechat(db, visitor.widgetId);
  const form = presentPrechat(visitor.widgetId, row);
  if (!form.enabled) throw new AppError('prechat_not_enabled');
  const name = form.name === 'off' ? undefined : body.name?.trim() || undefined;
  const email = form.email === 'off' ? undefined : body.email?.trim() || undefined;
  const consent = form.consent !== 'off' && body.consent === true;
  const missing = [
    form.name === 'required' && !name ? 'name' : null,
    form.email === 'required' && !email ? 'email' : null,
  ].filter((f): f is string => f !== null);
  if (missing.length > 0) throw new AppError('prechat_field_required', { details: missing });
  if (form.consent === 'required' && !consent) throw new AppError('consent_required');
  if (!name && !email && !consent) return;
  const now = o.now ?? new Date();
  // The sentence the widget showed: composed in the conversation's language, as the session did.
  const language = (await findOpenConversationOfVisitor(db, visitor.visitorId, visitor.widgetId))?.language;
  await setVisitorProfile({
    db,
    vault,
    workspaceId: visitor.workspaceId,
    visitorId: visitor.visitorId,
    now,
    patch: {
      ...(name ? { name } : {}),
      ...(email ? { email } : {}),
      ...(consent
        ? {
            custom: {
              'consent.at': now.toISOString(),
              'consent.text': visitorText(language, 'prechatConsent'),
              'consent.policy': form.privacyUrl ?? '',
            },
          }
        : {}),
    },
  });
}
