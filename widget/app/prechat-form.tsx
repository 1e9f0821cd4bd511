/** @jsxImportSource preact */
import { LIMITS } from '../../protocol/limits.js';
import type { PrechatForm, PrechatMode } from '../../protocol/prechat.js';
import type { PrechatDetails } from './chat.js';
import { useTexts } from './i18n/context.js';

interface Props {
  form: PrechatForm;
  details: PrechatDetails;
  onChange: (details: PrechatDetails) => void;
  onSkip: () => void;
  /** Why the details were refused, in the visitor's language; empty when nothing is wrong. */
  error: string;
}

/**
 * The pre-chat form, above the composer: the question is typed in the composer below, in the same
 * step, and Enter sends it. Left empty, the form is skipped; Skip removes it. A required field is
 * required of a visitor who gives details, never of one who just asks.
 */
export function PrechatFields({ form, details, onChange, onSkip, error }: Props) {
  const { t } = useTexts();
  const label = (text: string, mode: PrechatMode) =>
    mode === 'required' ? `${text} ${t('prechatRequired')}` : text;
  return (
    <fieldset class="pw-prechat" data-testid="prechat" aria-describedby="pw-prechat-hint">
      <legend class="pw-prechat-title">{t('prechatTitle')}</legend>
      <p class="pw-prechat-hint" id="pw-prechat-hint">
        {t('prechatHint')}
      </p>
      <div class="pw-prechat-fields">
        {form.name !== 'off' && (
          <label class="pw-field">
            <span class="pw-field-label">{label(t('prechatName'), form.name)}</span>
            <input
              type="text"
              class="pw-field-input"
              autocomplete="name"
              maxLength={LIMITS.maxNameChars}
              aria-required={form.name === 'required'}
              value={details.name}
              onInput={(e) => onChange({ ...details, name: e.currentTarget.value })}
              data-testid="prechat-name"
            />
          </label>
        )}
        {form.email !== 'off' && (
          <label class="pw-field">
            <span class="pw-field-label">{label(t('prechatEmail'), form.email)}</span>
            <input
              type="email"
              class="pw-field-input"
              autocomplete="email"
              maxLength={LIMITS.maxEmailChars}
              aria-required={form.email === 'required'}
              value={details.email}
              onInput={(e) => onChange({ ...details, email: e.currentTarget.value })}
              data-testid="prechat-email"
            />
          </label>
        )}
      </div>
      {form.consent !== 'off' && (
        <div class="pw-consent">
          <label class="pw-consent-label">
            <input
              type="checkbox"
              aria-required={form.consent === 'required'}
              checked={details.consent}
              onChange={(e) => onChange({ ...details, consent: e.currentTarget.checked })}
              data-testid="prechat-consent"
            />
            <span>{label(form.consentText, form.consent)}</span>
          </label>
          {form.privacyUrl && (
            <a
              class="pw-consent-link"
              href={form.privacyUrl}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="prechat-privacy"
            >
              {t('privacyPolicy')}
            </a>
          )}
        </div>
      )}
      <div class="pw-prechat-foot">
        <p class="pw-prechat-error" role="alert" data-testid="prechat-error">
          {error || null}
        </p>
        <button type="button" class="pw-link pw-prechat-skip" onClick={onSkip} data-testid="prechat-skip">
          {t('prechatSkip')}
        </button>
      </div>
    </fieldset>
  );
}
