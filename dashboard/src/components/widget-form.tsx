import { type FormEvent, useState } from 'react';
import type { Widget, WidgetBody } from '../../../protocol/api.js';
import { LANGUAGE_NAMES, LANGUAGES, type Language, type Translations } from '../../../protocol/languages.js';
import { LIMITS } from '../../../protocol/limits.js';
import { ApiError, errorMessage } from '../api.js';
import { parseOrigins } from '../lib/origins.js';
import { FormError, focusFirstInvalid, TextAreaField, TextField } from './field.js';
import { SelectField } from './select-field.js';

const LANGUAGE_OPTIONS = LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }));

interface Props {
  initial?: Widget;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (body: WidgetBody) => Promise<void>;
  onCancel?: () => void;
}

/** Create and edit form for a widget. Origins are checked here first; the server checks them again. */
export function WidgetForm({ initial, submitLabel, busyLabel, onSubmit, onCancel }: Props) {
  const [name, setName] = useState(initial?.name ?? '');
  const [originsText, setOriginsText] = useState(initial?.allowedOrigins.join('\n') ?? '');
  const [greeting, setGreeting] = useState(initial?.greeting ?? 'Hi! How can we help you today?');
  const [botName, setBotName] = useState(initial?.botName ?? 'Assistant');
  const [requireIdentity, setRequireIdentity] = useState(initial?.requireIdentity ?? false);
  const [allowInsecure, setAllowInsecure] = useState(initial?.allowInsecureOrigins ?? false);
  const [defaultLanguage, setDefaultLanguage] = useState<Language>(initial?.defaultLanguage ?? 'en');
  const [alwaysDefault, setAlwaysDefault] = useState(initial?.alwaysDefaultLanguage ?? false);
  const [greetings, setGreetings] = useState<Translations>(initial?.greetingTranslations ?? {});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);

  const parsed = parseOrigins(originsText);
  const nameError = submitted && !name.trim() ? 'Give the widget a name.' : null;
  const originsError = submitted && parsed.errors.length > 0 ? parsed.errors.join('\n') : null;
  const botNameError = submitted && !botName.trim() ? 'Give the bot a name.' : null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (!name.trim() || parsed.errors.length > 0 || !botName.trim()) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit({
        name: name.trim(),
        allowedOrigins: parsed.origins,
        greeting: greeting.trim(),
        botName: botName.trim(),
        requireIdentity,
        allowInsecureOrigins: allowInsecure,
        defaultLanguage,
        alwaysDefaultLanguage: alwaysDefault,
        greetingTranslations: greetings,
      });
    } catch (e) {
      setError({ message: errorMessage(e), details: e instanceof ApiError ? e.details : [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-wide" onSubmit={submit} noValidate>
      <FormError message={error?.message ?? null} details={error?.details} />
      <TextField
        label="Name"
        hint="Only your team sees this, for example “Main website”."
        required
        maxLength={LIMITS.maxWidgetNameChars}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={nameError}
        data-testid="widget-name"
      />
      <TextAreaField
        label="Allowed origins"
        hint={
          <>
            One per line, as <code>scheme://host[:port]</code> — for example{' '}
            <code>https://www.example.com</code>. The widget only loads on these sites. Up to{' '}
            {LIMITS.maxAllowedOrigins}.
          </>
        }
        required
        rows={4}
        spellCheck={false}
        autoCapitalize="off"
        value={originsText}
        onChange={(e) => setOriginsText(e.target.value)}
        error={originsError}
        className="input textarea mono"
        data-testid="widget-origins"
      />
      <TextAreaField
        label="Greeting"
        hint={`The bot's first message to every new visitor. Up to ${LIMITS.maxGreetingChars} characters.`}
        rows={3}
        maxLength={LIMITS.maxGreetingChars}
        value={greeting}
        onChange={(e) => setGreeting(e.target.value)}
        data-testid="widget-greeting"
      />
      <SelectField
        label="Default language"
        hint="The chat speaks the visitor’s browser language when it is one of these, else this one. The greeting above is in this language."
        options={LANGUAGE_OPTIONS}
        value={defaultLanguage}
        onChange={(e) => setDefaultLanguage(e.currentTarget.value as Language)}
        data-testid="widget-default-language"
      />
      <label className="choice">
        <input
          type="checkbox"
          checked={alwaysDefault}
          onChange={(e) => setAlwaysDefault(e.target.checked)}
          data-testid="widget-always-language"
        />
        <span>Always use the default language, whatever the visitor’s browser prefers</span>
      </label>
      <details className="form-details" data-testid="widget-greeting-translations">
        <summary>Greeting in other languages</summary>
        {LANGUAGES.filter((l) => l !== defaultLanguage).map((l) => (
          <TextAreaField
            key={l}
            label={`Greeting — ${LANGUAGE_NAMES[l]}`}
            lang={l}
            dir={l === 'ar' ? 'rtl' : 'auto'}
            rows={2}
            maxLength={LIMITS.maxGreetingChars}
            value={greetings[l] ?? ''}
            onChange={(e) => setGreetings({ ...greetings, [l]: e.target.value })}
          />
        ))}
      </details>
      <TextField
        label="Bot name"
        hint="Shown next to the bot's messages."
        required
        maxLength={LIMITS.maxNameChars}
        value={botName}
        onChange={(e) => setBotName(e.target.value)}
        error={botNameError}
        data-testid="widget-bot-name"
      />
      <label className="choice">
        <input
          type="checkbox"
          checked={requireIdentity}
          onChange={(e) => setRequireIdentity(e.target.checked)}
          data-testid="widget-require-identity"
        />
        <span>
          Only signed-in users of your website can chat (identity verification, set up on the widget’s page)
        </span>
      </label>
      <label className="choice">
        <input
          type="checkbox"
          checked={allowInsecure}
          onChange={(e) => setAllowInsecure(e.target.checked)}
          data-testid="widget-allow-insecure"
        />
        <span>
          Allow plain <code>http://</code> sites (not recommended: anyone on the way can rewrite such a page,
          and the chat and signed-in identity on it)
        </span>
      </label>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="widget-submit">
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button button-quiet" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
