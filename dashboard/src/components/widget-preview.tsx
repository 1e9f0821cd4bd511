import type { CSSProperties } from 'react';
import {
  brandInk,
  brandTextOnWhite,
  LAUNCHER_ICONS,
  type WidgetBrandingBody,
} from '../../../protocol/branding.js';

interface Props {
  look: WidgetBrandingBody;
  botName: string;
  greeting: string;
  avatarUrl: string | null;
}

/**
 * The widget as a visitor sees it, drawn from the form as it is now (before saving): the chat panel
 * and the launcher, coloured by the same custom properties the chat frame sets (widget/app/look.ts)
 * and with the same text colours picked for contrast. A picture, not a working chat: nothing in it
 * takes the focus.
 */
export function WidgetPreview({ look, botName, greeting, avatarUrl }: Props) {
  const vars = {
    '--pv-brand': look.color,
    '--pv-on-brand': brandInk(look.color),
    '--pv-brand-text': brandTextOnWhite(look.color),
    '--pv-x': `${look.offsetX}px`,
    '--pv-y': `${look.offsetY}px`,
  } as CSSProperties;
  const name = botName.trim() || 'Assistant';
  return (
    <div
      className={`preview preview-${look.position}`}
      style={vars}
      role="img"
      aria-label={`Preview: the chat on the ${look.position}, ${look.color} with ${
        brandInk(look.color) === '#ffffff' ? 'white' : 'black'
      } text${look.label.trim() ? `, launcher “${look.label.trim()}”` : ''}`}
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
