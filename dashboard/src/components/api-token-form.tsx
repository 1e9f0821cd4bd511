import { type FormEvent, useState } from 'react';
import type { CreateApiTokenBody } from '../../../protocol/api-tokens.js';
import { API_TOKEN_LIMITS, API_TOKEN_SCOPES, type ApiTokenScope } from '../../../protocol/token-scopes.js';
import { ApiError, errorMessage } from '../api.js';
import { FormError, focusFirstInvalid, TextField } from './field.js';

export const SCOPE_LABELS: Record<ApiTokenScope, string> = {
  'conversations:read': 'Read conversations and their messages',
  'messages:write': 'Send messages into conversations',
  'visitors:read': 'Read visitors',
  'visitors:erase': 'Export and erase visitors’ data',
};

const EXPIRY_CHOICES = [
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
  { label: 'Never', days: 0 },
] as const;

/** Name, scopes and expiry of a new API token. */
export function ApiTokenForm({ onSubmit }: { onSubmit: (body: CreateApiTokenBody) => Promise<void> }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ReadonlySet<ApiTokenScope>>(new Set());
  const [expiryDays, setExpiryDays] = useState(90);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);

  const nameError =
    submitted && !name.trim() ? 'Give the token a name, for example the system that uses it.' : null;
  const scopeError = submitted && scopes.size === 0 ? 'Choose at least one permission.' : null;

  const toggle = (scope: ApiTokenScope) => {
    const next = new Set(scopes);
    if (next.has(scope)) next.delete(scope);
    else next.add(scope);
    setScopes(next);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (!name.trim() || scopes.size === 0) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit({
        name: name.trim(),
        scopes: API_TOKEN_SCOPES.filter((s) => scopes.has(s)),
        ...(expiryDays > 0 ? { expiresInDays: expiryDays } : {}),
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
        hint="Only your team sees this, for example “Order system”. Messages sent with the token show it."
        required
        maxLength={API_TOKEN_LIMITS.maxNameChars}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={nameError}
        data-testid="token-name"
      />
      <fieldset className={`field choice-group${scopeError ? ' field-invalid' : ''}`}>
        <legend className="field-label">Permissions</legend>
        {API_TOKEN_SCOPES.map((scope) => (
          <label key={scope} className="choice">
            <input
              type="checkbox"
              checked={scopes.has(scope)}
              onChange={() => toggle(scope)}
              aria-invalid={scopeError ? true : undefined}
              data-testid={`token-scope-${scope}`}
            />
            <span>
              {SCOPE_LABELS[scope]} <code className="muted">{scope}</code>
            </span>
          </label>
        ))}
        {scopeError && <div className="field-error">{scopeError}</div>}
      </fieldset>
      <fieldset className="field choice-group">
        <legend className="field-label">Expires after</legend>
        <div className="choice-row">
          {EXPIRY_CHOICES.map((c) => (
            <label key={c.days} className="choice">
              <input
                type="radio"
                name="token-expiry"
                checked={expiryDays === c.days}
                onChange={() => setExpiryDays(c.days)}
                data-testid={`token-expiry-${c.days}`}
              />
              <span>{c.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="token-submit">
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}
