import { LIMITS } from '../../../protocol/limits.js';
import { TextField } from './field.js';

const MIN = LIMITS.minPasswordChars;

/** Whether a new password and its confirmation can be sent; the server applies the full policy. */
export function newPasswordProblem(password: string, confirm: string): 'short' | 'mismatch' | null {
  if (password.length < MIN) return 'short';
  if (password !== confirm) return 'mismatch';
  return null;
}

interface Props {
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  /** Show the field errors (after the first submit, not while the person is still typing). */
  submitted: boolean;
  testId: string;
  label?: string;
  autoFocus?: boolean;
}

/** "New password" and "Confirm password", with the length rule shown as it is met. */
export function NewPasswordFields({
  password,
  confirm,
  onPassword,
  onConfirm,
  submitted,
  testId,
  label = 'New password',
  autoFocus,
}: Props) {
  const problem = newPasswordProblem(password, confirm);
  const rule = (
    <span className={password.length >= MIN ? 'rule-met' : undefined}>
      At least {MIN} characters{password.length > 0 && ` — ${password.length} so far`}
      {password.length >= MIN && ' ✓'}. A long phrase you can remember works well.
    </span>
  );
  return (
    <>
      <TextField
        label={label}
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN}
        maxLength={LIMITS.maxPasswordChars}
        autoFocus={autoFocus}
        hint={rule}
        value={password}
        onChange={(e) => onPassword(e.target.value)}
        error={submitted && problem === 'short' ? `Use at least ${MIN} characters.` : null}
        data-testid={`${testId}-password`}
      />
      <TextField
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={LIMITS.maxPasswordChars}
        value={confirm}
        onChange={(e) => onConfirm(e.target.value)}
        error={submitted && problem === 'mismatch' ? 'The two passwords do not match.' : null}
        data-testid={`${testId}-password-confirm`}
      />
    </>
  );
}
