import { type FormEvent, useState } from 'react';
import type { EmailStatus } from '../../../protocol/email.js';
import { LIMITS } from '../../../protocol/limits.js';
import { newClientId } from '../../../protocol/realtime-client.js';
import { errorMessage } from '../api.js';
import { emailApi } from '../email-api.js';
import { useLoad } from '../hooks/use-load.js';
import { useSession } from '../lib/session-context.js';
import { localDateTime } from '../lib/time.js';
import { TextAreaField } from './field.js';

const WHY_NOT: Record<Exclude<EmailStatus['reason'], null>, string> = {
  no_smtp: 'Parley sends no mail to visitors here: an administrator has to set up an SMTP server.',
  no_address: 'The visitor left no email address (or it has expired), so there is nobody to mail.',
  opted_out: 'The visitor unsubscribed from email replies.',
};

/**
 * A reply Parley also mails to the visitor now: how to follow up a lead who left, even when the
 * agent's role does not show their address. The server sends it to the address on file; the
 * dashboard only learns whether that is possible.
 */
export function EmailFollowUp({ conversationId }: { conversationId: string }) {
  const { me } = useSession();
  const wid = me.workspace.id;
  const status = useLoad(`${wid}/${conversationId}/email`, () => emailApi.status(wid, conversationId));
  const [draft, setDraft] = useState('');
  // One id per draft: a retry after a lost answer is the same message, mailed once.
  const [clientId, setClientId] = useState(newClientId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    setBusy(true);
    setError(null);
    setSent(false);
    try {
      await emailApi.followUp(wid, conversationId, draft.trim(), clientId);
      setDraft('');
      setClientId(newClientId());
      setSent(true);
      status.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const s = status.result.state === 'ready' ? status.result.data : null;
  return (
    <details className="visitor-panel email-follow-up" data-testid="email-follow-up">
      <summary data-testid="email-follow-up-summary">Follow up by email</summary>
      <div className="visitor-panel-body">
        {status.result.state === 'error' && (
          <p className="inline-error" role="alert">
            {status.result.message}
          </p>
        )}
        {s && !s.available && s.reason && (
          <p className="muted" data-testid="email-unavailable">
            {WHY_NOT[s.reason]}
          </p>
        )}
        {s?.available && (
          <form className="form" onSubmit={submit}>
            <TextAreaField
              label="Message"
              hint="Parley posts this reply here and mails it, with the recent conversation, to the address the visitor left. The address stays hidden."
              rows={2}
              maxLength={LIMITS.maxMessageChars}
              value={draft}
              onChange={(e) => {
                setDraft(e.target.value);
                setSent(false);
              }}
              error={error}
              data-testid="email-follow-up-input"
            />
            <div className="form-actions">
              <button
                type="submit"
                className="button button-small"
                disabled={busy || !draft.trim()}
                data-testid="email-follow-up-send"
              >
                {busy ? 'Sending…' : 'Send by email'}
              </button>
            </div>
          </form>
        )}
        <p className="muted" role="status" data-testid="email-follow-up-status">
          {sent ? 'Sent: the reply is in the conversation and on its way by email.' : ''}
          {!sent && s?.lastMailedAt ? `Last mailed ${localDateTime(s.lastMailedAt)}.` : ''}
        </p>
      </div>
    </details>
  );
}
