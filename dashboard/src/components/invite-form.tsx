import { type FormEvent, useState } from 'react';
import type { Role } from '../../../protocol/common.js';
import { LIMITS } from '../../../protocol/limits.js';
import type { Invite } from '../../../protocol/users-api.js';
import { ApiError, errorMessage } from '../api.js';
import { ROLE_HINT, ROLE_OPTIONS } from '../lib/roles.js';
import { Link } from '../lib/router.js';
import { teamApi } from '../team-api.js';
import { FormError, TextField } from './field.js';
import { SelectField } from './select-field.js';

/** What happened to the invitation mail, in words: the link is only useful if it reached someone. */
function DeliveryNotice({ invite }: { invite: Invite }) {
  if (invite.delivery === 'failed') {
    return (
      <div className="form-error" role="alert" data-testid="invite-delivery" data-delivery="failed">
        The invitation for {invite.email} was created, but the mail server refused the message. Check the mail
        settings, then revoke the invitation and send it again.
      </div>
    );
  }
  if (invite.delivery === 'outbox') {
    return (
      <div className="notice" role="status" data-testid="invite-delivery" data-delivery="outbox">
        No mail server is configured, so the invitation for {invite.email} is in the{' '}
        <Link href="/outbox">outbox</Link>. Pass its link on to your colleague yourself.
      </div>
    );
  }
  return (
    <div className="notice notice-success" role="status" data-testid="invite-delivery" data-delivery="smtp">
      Invitation sent to {invite.email}. The link works once and expires in 72 hours.
    </div>
  );
}

export function InviteForm({ workspaceId, onInvited }: { workspaceId: string; onInvited: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<Invite | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      const invite = await teamApi.invite(workspaceId, { email: email.trim(), role });
      setSent(invite);
      setEmail('');
      onInvited();
    } catch (e) {
      setError({ message: errorMessage(e), details: e instanceof ApiError ? e.details : [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 className="card-title" id="invite-title">
        Invite a colleague
      </h2>
      <form className="invite-form" onSubmit={onSubmit}>
        <TextField
          label="Email"
          type="email"
          required
          maxLength={LIMITS.maxEmailChars}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-testid="invite-email"
        />
        <SelectField
          label="Role"
          options={ROLE_OPTIONS}
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          hint={ROLE_HINT[role]}
          data-testid="invite-role"
        />
        <button type="submit" className="button button-primary" disabled={busy} data-testid="invite-send">
          {busy ? 'Sending…' : 'Send invitation'}
        </button>
      </form>
      <FormError message={error?.message ?? null} details={error?.details} />
      {sent && <DeliveryNotice invite={sent} />}
    </section>
  );
}
