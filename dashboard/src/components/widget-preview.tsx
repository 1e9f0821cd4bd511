import type { CSSProperties } from 'react';
import {
  brandInk,
  brandTextOnWhite,
  LAUNCHER_ICONS,
  type WidgetBrandingBody,
} from '../../../protocol/branding.js';
import type { PrechatMode, PrechatSettingsBody } from '../../../protocol/prechat.js';

interface Props {
  look: WidgetBrandingBody;
  botName: string;
  greeting: string;
  avatarUrl: string | null;
  /** The pre-chat form as it is being edited; null until it has loaded. */
  prechat: PrechatSettingsBody | null;
}

/** The pre-chat fields a visitor would see, in the widget's order, with their modes. */
function prechatFields(form: PrechatSettingsBody | null): Array<{ field: string; mode: PrechatMode }> {
  if (!form?.enabled) return [];
  return [
    { field: 'name', mode: form.name },
    { field: 'email', mode: form.email },
    { field: 'consent', mode: form.consent },
  ].filter((f) => f.mode !== 'off');
}

const required = (mode: PrechatMode) => (mode === 'required' ? ' (required)' : '');

/**
 * The pre-chat form as the chat shows it above the composer (widget/app/prechat-form.tsx): its
 * fields with their labels, the consent checkbox and its privacy policy link, and Skip. English,
 * like the rest of the preview; visitors see it in their language.
 */
function PreviewPrechat({ form }: { form: PrechatSettingsBody }) {
  return (
    <div className="preview-prechat" data-testid="preview-prechat">
      <span className="preview-prechat-title">About you</span>
      {(form.name !== 'off' || form.email !== 'off') && (
        <span className="preview-fields">
          {form.name !== 'off' && (
            <span className="preview-field" data-testid="preview-prechat-name">
              <span>Name{required(form.name)}</span>
              <span className="preview-field-input" />
            </span>
          )}
          {form.email !== 'off' && (
            <span className="preview-field" data-testid="preview-prechat-email">
              <span>Email{required(form.email)}</span>
              <span className="preview-field-input" />
            </span>
          )}
        </span>
      )}
      {form.consent !== 'off' && (
        <span className="preview-consent" data-testid="preview-prechat-consent">
          <span className="preview-checkbox" />
          <span>
            I agree to the privacy policy{required(form.consent)}
            {form.privacyUrl && <span className="preview-link"> Privacy policy</span>}
          </span>
        </span>
      )}
      <span className="preview-skip">Skip</span>
    </div>
  );
}

/**
 * The widget as a visitor sees it, drawn from the form as it is now (before saving): the chat panel
 * and the launcher, coloured by the same custom properties the chat frame sets (widget/app/look.ts)
 * and with the same text colours picked for contrast. A picture, not a working chat: nothing in it
 * takes the focus.
 */
export function WidgetPreview({ look, botName, greeting, avatarUrl, prechat }: Props) {
  const vars = {
    '--pv-brand': look.color,
    '--pv-on-brand': brandInk(look.color),
    '--pv-brand-text': brandTextOnWhite(look.color),
    '--pv-x': `${look.offsetX}px`,
    '--pv-y': `${look.offsetY}px`,
  } as CSSProperties;
  const name = botName.trim() || 'Assistant';
  const fields = prechatFields(prechat);
  const asked = fields.map((f) => `${f.field}${f.mode === 'required' ? ' (required)' : ''}`).join(', ');
  return (
    <div
      className={`preview preview-${look.position}`}
      style={vars}
      role="img"
      aria-label={`Preview: the chat on the ${look.position}, ${look.color} with ${
        brandInk(look.color) === '#ffffff' ? 'white' : 'black'
      } text${look.label.trim() ? `, launcher “${look.label.trim()}”` : ''}${
        asked ? `; pre-chat form asking ${asked}` : ''
      }`}
      data-testid="widget-preview"
    >
      <div className="preview-panel">
        <div className="preview-header" data-testid="preview-header">
          {avatarUrl ? (
            <img className="preview-avatar" src={avatarUrl} alt="" />
          ) : (
            <span className="preview-avatar">{name.charAt(0).toUpperCase()}</span>
          )}
          <span className="preview-title">{name}</span>
        </div>
        <div className="preview-messages">
          <span className="preview-bubble">{greeting.trim() || 'Hi! How can we help you today?'}</span>
          <span className="preview-reply">Talk to a person</span>
          <span className="preview-bubble preview-own">I have a question about my order.</span>
        </div>
        {prechat && fields.length > 0 && <PreviewPrechat form={prechat} />}
        <div className="preview-composer">
          <span className="preview-input">Write a message…</span>
          <span className="preview-send" />
        </div>
        {look.poweredBy && <span className="preview-powered">Powered by Parley</span>}
      </div>
      <span
        className={`preview-launcher${look.label.trim() ? ' preview-launcher-label' : ''}`}
        data-testid="preview-launcher"
      >
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
          <path d={LAUNCHER_ICONS[look.icon]} />
        </svg>
        {look.label.trim()}
      </span>
    </div>
  );
}
