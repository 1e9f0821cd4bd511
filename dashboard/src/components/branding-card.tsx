import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Widget } from '../../../protocol/api.js';
import {
  BRANDING_DEFAULTS,
  BRANDING_LIMITS,
  brandInk,
  contrastRatio,
  HEX_COLOR,
  type LauncherIcon,
  type WidgetBranding,
  type WidgetBrandingBody,
} from '../../../protocol/branding.js';
import type { PrechatSettingsBody } from '../../../protocol/prechat.js';
import { errorMessage } from '../api.js';
import { brandingApi } from '../branding-api.js';
import { useSession } from '../lib/session-context.js';
import { FormError, TextField } from './field.js';
import { SelectField } from './select-field.js';
import { WidgetPreview } from './widget-preview.js';

const ICONS: Array<{ value: LauncherIcon; label: string }> = [
  { value: 'chat', label: 'Speech bubble' },
  { value: 'help', label: 'Question mark' },
  { value: 'mail', label: 'Envelope' },
  { value: 'headset', label: 'Headset' },
];

function bodyOf(b: WidgetBranding): WidgetBrandingBody {
  const { color, position, offsetX, offsetY, icon, label, poweredBy } = b;
  return { color, position, offsetX, offsetY, icon, label, poweredBy };
}

/**
 * The widget's look: colour, launcher, the bot's avatar, "Powered by Parley". The preview follows
 * the form as it is typed (and the pre-chat form's card below, as it is edited there); nothing
 * reaches visitors until it is saved. Administrators only.
 */
export function BrandingCard({ widget, prechat }: { widget: Widget; prechat?: PrechatSettingsBody | null }) {
  const { me } = useSession();
  const ws = me.workspace.id;
  const [look, setLook] = useState<WidgetBrandingBody>({ ...BRANDING_DEFAULTS });
  const [colorText, setColorText] = useState<string>(BRANDING_DEFAULTS.color);
  const [avatarUrl, setAvatarUrl] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const take = useCallback((b: WidgetBranding) => {
    setLook(bodyOf(b));
    setColorText(b.color);
    setAvatarUrl(b.avatarUrl);
  }, []);
  useEffect(() => {
    brandingApi.get(ws, widget.id).then(
      (b) => {
        take(b);
        setLoaded(true);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [ws, widget.id, take]);

  const change = (patch: Partial<WidgetBrandingBody>) => setLook((l) => ({ ...l, ...patch }));
  const colorValid = HEX_COLOR.test(colorText);
  const typeColor = (text: string) => {
    setColorText(text);
    if (HEX_COLOR.test(text)) change({ color: text.toLowerCase() });
  };
  const offset = (value: string) =>
    Math.max(0, Math.min(BRANDING_LIMITS.maxOffset, Math.round(Number(value) || 0)));

  const run = async (action: () => Promise<WidgetBranding>, done: string) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      take(await action());
      setMessage(done);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!colorValid) return;
    void run(() => brandingApi.save(ws, widget.id, { ...look, label: look.label.trim() }), 'Look saved.');
  };
  const upload = (file: File | undefined) => {
    if (file) void run(() => brandingApi.uploadAvatar(ws, widget.id, file), 'Avatar saved.');
  };

  const ink = brandInk(look.color);
  const ratio = contrastRatio(look.color, ink);
  return (
    <section className="card" aria-labelledby="branding-title" data-testid="branding-card">
      <h2 id="branding-title" className="card-title">
        Look and launcher
      </h2>
      {message && <p role="status">{message}</p>}
      <FormError message={error} />
      <div className="branding-layout">
        <form className="form branding-form" onSubmit={save} noValidate aria-busy={!loaded}>
          <div className="branding-color">
            <TextField
              label="Colour"
              hint="As #rrggbb, for example #4f46e5."
              value={colorText}
              maxLength={7}
              spellCheck={false}
              autoCapitalize="off"
              onChange={(e) => typeColor(e.target.value.trim())}
              error={
                colorValid ? null : 'Write the colour as # and six hexadecimal digits, for example #4f46e5.'
              }
              data-testid="branding-color"
            />
            <input
              type="color"
              className="branding-swatch"
              aria-label="Pick the colour"
              value={look.color}
              onChange={(e) => typeColor(e.target.value)}
            />
          </div>
          <p className="field-hint" data-testid="branding-contrast">
            Text on this colour: <strong>{ink === '#ffffff' ? 'white' : 'black'}</strong> (contrast{' '}
            {ratio.toFixed(1)}:1). Parley picks white text where it reaches the WCAG AA contrast of 4.5:1, and
            black where it does not, so every colour stays readable; no colour is refused.
          </p>
          <SelectField
            label="Launcher side"
            options={[
              { value: 'right', label: 'Bottom right' },
              { value: 'left', label: 'Bottom left' },
            ]}
            value={look.position}
            onChange={(e) => change({ position: e.target.value === 'left' ? 'left' : 'right' })}
            data-testid="branding-position"
          />
          <div className="branding-offsets">
            <TextField
              label="From the side (px)"
              type="number"
              min={0}
              max={BRANDING_LIMITS.maxOffset}
              value={look.offsetX}
              onChange={(e) => change({ offsetX: offset(e.target.value) })}
              data-testid="branding-offset-x"
            />
            <TextField
              label="From the bottom (px)"
              type="number"
              min={0}
              max={BRANDING_LIMITS.maxOffset}
              value={look.offsetY}
              onChange={(e) => change({ offsetY: offset(e.target.value) })}
              data-testid="branding-offset-y"
            />
          </div>
          <SelectField
            label="Launcher icon"
            options={ICONS}
            value={look.icon}
            onChange={(e) => change({ icon: e.target.value as LauncherIcon })}
            data-testid="branding-icon"
          />
          <TextField
            label="Launcher text"
            hint={`Optional, up to ${BRANDING_LIMITS.maxLabelChars} characters, for example “Chat with us”. Empty: a round icon button.`}
            maxLength={BRANDING_LIMITS.maxLabelChars}
            value={look.label}
            onChange={(e) => change({ label: e.target.value })}
            data-testid="branding-label"
          />
          <label className="choice">
            <input
              type="checkbox"
              checked={look.poweredBy}
              onChange={(e) => change({ poweredBy: e.target.checked })}
              data-testid="branding-powered-by"
            />
            <span>Show “Powered by Parley” under the chat</span>
          </label>
          <div className="field">
            <label className="field-label" htmlFor="branding-avatar">
              Bot avatar
            </label>
            <input
              id="branding-avatar"
              type="file"
              accept="image/png,image/jpeg,image/webp"
              aria-describedby="branding-avatar-hint"
              disabled={busy}
              onChange={(e) => {
                upload(e.target.files?.[0]);
                e.target.value = '';
              }}
              data-testid="branding-avatar"
            />
            <div className="field-hint" id="branding-avatar-hint">
              PNG, JPEG or WebP up to 1 MB; saved at once, as a 128 × 128 picture without its metadata.
              Without one, the widget shows the bot name’s initial.
            </div>
            {avatarUrl && (
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={() => void run(() => brandingApi.removeAvatar(ws, widget.id), 'Avatar removed.')}
                data-testid="branding-avatar-remove"
              >
                Remove avatar
              </button>
            )}
          </div>
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={busy || !loaded || !colorValid}
              data-testid="branding-save"
            >
              {busy ? 'Saving…' : 'Save look'}
            </button>
          </div>
        </form>
        <figure className="branding-figure">
          <WidgetPreview
            look={look}
            botName={widget.botName}
            greeting={widget.greeting}
            avatarUrl={avatarUrl}
            prechat={prechat ?? null}
          />
          <figcaption className="muted">Preview: follows your changes before you save them.</figcaption>
        </figure>
      </div>
    </section>
  );
}
