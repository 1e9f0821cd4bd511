import { useState } from 'react';
import { errorMessage, request } from '../api.js';
import { AuthLayout } from '../components/auth-layout.js';
import { FormError } from '../components/field.js';
import { useTitle } from '../hooks/use-title.js';
import { useLinkToken } from '../lib/link-token.js';

/**
 * The link at the foot of every mail Parley sends a visitor. Opening it changes nothing (mail
 * scanners open links); the button does: no more mail to this visitor.
 */
export function UnsubscribeScreen() {
  useTitle('Stop email replies');
  const token = useLinkToken();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (done) {
    return (
      <AuthLayout title="You are unsubscribed">
        <div className="notice notice-success" role="status" data-testid="unsubscribe-done">
          You will get no more email replies from this chat. Replies still show in the chat on the website.
        </div>
      </AuthLayout>
    );
  }
  if (!token) {
    return (
      <AuthLayout title="Stop email replies">
        <p>
          This page needs the link from the foot of an email. It looks like{' '}
          <code>https://your-host/unsubscribe#token=…</code>.
        </p>
      </AuthLayout>
    );
  }
  const stop = async () => {
    setBusy(true);
    setError(null);
    try {
      await request<void>('POST', '/email/unsubscribe', { token });
      setDone(true);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <AuthLayout title="Stop email replies">
      <FormError message={error} />
      <p>Stop the emails that bring you the support team’s replies to your chat?</p>
      <button
        type="button"
        className="button button-primary button-block"
        onClick={() => void stop()}
        disabled={busy}
        data-testid="unsubscribe-confirm"
      >
        {busy ? 'Stopping…' : 'Stop email replies'}
      </button>
    </AuthLayout>
  );
}
