import { type FormEvent, useEffect, useState } from 'react';
import type { Widget } from '../../../protocol/api.js';
import {
  PRECHAT_DEFAULTS,
  PRECHAT_LIMITS,
  type PrechatMode,
  type PrechatSettings,
  type PrechatSettingsBody,
} from '../../../protocol/prechat.js';
import { errorMessage } from '../api.js';
import { useSession } from '../lib/session-context.js';
import { prechatApi } from '../prechat-api.js';
import { FormError, TextField } from './field.js';
import { SelectField } from './select-field.js';

const MODES: Array<{ value: PrechatMode; label: string }> = [
  { value: 'off', label: 'Not asked' },
  { value: 'optional', label: 'Optional' },
  { value: 'required', label: 'Required when details are given' },
];

const bodyOf = ({ widgetId: _id, ...body }: PrechatSettings): PrechatSettingsBody => body;

/** As the server checks it: https, a host, no user name or password in it. */
function httpsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password;
  } catch {
    return false;
  }
}

/**
 * The pre-chat form: name, email and a consent checkbox linking the site's privacy policy, shown
 * above the visitor's first question. A visitor can always skip it and just ask. Administrators only.
 */
export function PrechatCard({
  widget,
  onDraft,
}: {
  widget: Widget;
  /** Told the form as it is typed (the widget's preview shows it), once it has loaded. */
  onDraft?: (draft: PrechatSettingsBody) => void;
}) {
  const { me } = useSession();
  const ws = me.workspace.id;
  const [form, setForm] = useState<PrechatSettingsBody>({ ...PRECHAT_DEFAULTS });
  const [url, setUrl] = useState('');
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    prechatApi.get(ws, widget.id).then(
      (s) => {
        setForm(bodyOf(s));
        setUrl(s.privacyUrl ?? '');
        setLoaded(true);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [ws, widget.id]);

  useEffect(() => {
    if (loaded) onDraft?.({ ...form, privacyUrl: url.trim() || null });
  }, [loaded, form, url, onDraft]);

  const change = (patch: Partial<PrechatSettingsBody>) => setForm((f) => ({ ...f, ...patch }));
  const trimmed = url.trim();
  const urlError =
    trimmed && !httpsUrl(trimmed)
      ? 'Write the full https:// address of the privacy policy, for example https://example.com/privacy.'
      : form.consent !== 'off' && !trimmed
        ? 'A consent checkbox links the privacy policy: give its https:// address.'
        : null;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (urlError) return;
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const saved = await prechatApi.save(ws, widget.id, { ...form, privacyUrl: trimmed || null });
      setForm(bodyOf(saved));
      setUrl(saved.privacyUrl ?? '');
      setMessage('Pre-chat form saved.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="prechat-title" data-testid="prechat-card">
      <h2 id="prechat-title" className="card-title">
        Pre-chat form
      </h2>
      <p className="muted">
        Asked above the visitor’s first message, which they type in the same step. Visitors can always skip it
        and just ask; a required field is required only of a visitor who gives details. An email given here is
        used for replies by email.
      </p>
      {message && <p role="status">{message}</p>}
      <FormError message={error} />
      <form className="form" onSubmit={(e) => void save(e)} noValidate aria-busy={!loaded}>
        <label className="choice">
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => change({ enabled: e.target.checked })}
            data-testid="prechat-enabled"
          />
          <span>Show the pre-chat form</span>
        </label>
        <SelectField
          label="Name"
          options={MODES}
          value={form.name}
          onChange={(e) => change({ name: e.target.value as PrechatMode })}
          data-testid="prechat-name-mode"
        />
        <SelectField
          label="Email"
          options={MODES}
          value={form.email}
          onChange={(e) => change({ email: e.target.value as PrechatMode })}
          data-testid="prechat-email-mode"
        />
        <SelectField
          label="Consent checkbox"
          options={MODES}
          value={form.consent}
          onChange={(e) => change({ consent: e.target.value as PrechatMode })}
          data-testid="prechat-consent-mode"
        />
        <TextField
          label="Privacy policy address"
          hint="An https:// address; the consent checkbox links it (opened in a new tab)."
          type="url"
          inputMode="url"
          maxLength={PRECHAT_LIMITS.maxPrivacyUrlChars}
          spellCheck={false}
          autoCapitalize="off"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={urlError}
          data-testid="prechat-privacy-url"
        />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || !loaded || urlError !== null}
            data-testid="prechat-save"
          >
            {busy ? 'Saving…' : 'Save pre-chat form'}
          </button>
        </div>
      </form>
    </section>
  );
}
