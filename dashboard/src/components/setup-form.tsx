import { type FormEvent, useState } from 'react';
import { LIMITS } from '../../../protocol/limits.js';
import { ApiError, api, errorMessage } from '../api.js';
import { navigate } from '../lib/router.js';
import { FormError, focusFirstInvalid, TextField } from './field.js';

const MIN = LIMITS.minPasswordChars;

export function SetupForm({ token, onComplete }: { token: string; onComplete: () => void }) {
  const [workspaceName, setWorkspaceName] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const emailOk = /^[^\s@]+@[^\s@]+$/.test(email.trim());
  const tooShort = password.length < MIN;
  const mismatch = confirm !== password;
  const passwordError = submitted && tooShort ? `Use at least ${MIN} characters.` : null;
  const confirmError = submitted && !tooShort && mismatch ? 'The two passwords do not match.' : null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!workspaceName.trim() || !name.trim() || !emailOk || tooShort || mismatch) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.setup({
        token,
        workspaceName: workspaceName.trim(),
        name: name.trim(),
        email: email.trim(),
        password,
      });
      navigate('/inbox', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'setup_complete') return onComplete();
      const more =
        e instanceof ApiError && e.code === 'setup_token_invalid'
          ? ' Restart the Parley server to print a new setup link.'
          : '';
      setError(errorMessage(e) + more);
      setBusy(false);
    }
  };

  const rule = (
    <span className={password.length >= MIN ? 'rule-met' : undefined}>
      At least {MIN} characters{password.length > 0 && ` — ${password.length} so far`}
      {password.length >= MIN && ' ✓'}
    </span>
  );

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormError message={error} />
      <TextField
        label="Workspace name"
        hint="Usually your company or team name."
        required
        maxLength={LIMITS.maxNameChars}
        autoFocus
        value={workspaceName}
        onChange={(e) => setWorkspaceName(e.target.value)}
        error={submitted && !workspaceName.trim() ? 'Enter a workspace name.' : null}
        data-testid="setup-workspace"
      />
      <TextField
        label="Your name"
        autoComplete="name"
        required
        maxLength={LIMITS.maxNameChars}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={submitted && !name.trim() ? 'Enter your name.' : null}
        data-testid="setup-name"
      />
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        required
        maxLength={LIMITS.maxEmailChars}
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={submitted && !emailOk ? 'Enter an email address like you@example.com.' : null}
        data-testid="setup-email"
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN}
        maxLength={LIMITS.maxPasswordChars}
        hint={rule}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={passwordError}
        data-testid="setup-password"
      />
      <TextField
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={confirmError}
        data-testid="setup-password-confirm"
      />
      <button
        type="submit"
        className="button button-primary button-block"
        disabled={busy}
        data-testid="setup-submit"
      >
        {busy ? 'Creating your workspace…' : 'Create workspace'}
      </button>
    </form>
  );
}
