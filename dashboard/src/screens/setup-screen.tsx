import { useEffect, useState } from 'react';
import { api, errorMessage } from '../api.js';
import { AuthLayout } from '../components/auth-layout.js';
import { SetupForm } from '../components/setup-form.js';
import { useTitle } from '../hooks/use-title.js';
import { Link } from '../lib/router.js';

type Status = 'checking' | 'needed' | 'done' | 'failed';

/** Reads the one-time token from the link's fragment, then removes it from the address bar and history. */
function readToken(): string | null {
  const params = new URLSearchParams(window.location.hash.slice(1));
  return params.get('token');
}

export function SetupScreen() {
  useTitle('Set up Parley');
  const [token] = useState(readToken);
  const [status, setStatus] = useState<Status>('checking');
  const [checkError, setCheckError] = useState<string | null>(null);

  useEffect(() => {
    if (window.location.hash) {
      window.history.replaceState(
        window.history.state,
        '',
        window.location.pathname + window.location.search,
      );
    }
  }, []);

  useEffect(() => {
    let cancelled = false;
    api.getSetup().then(
      (r) => !cancelled && setStatus(r.needsSetup ? 'needed' : 'done'),
      (e: unknown) => {
        if (cancelled) return;
        setCheckError(errorMessage(e));
        setStatus('failed');
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  if (status === 'checking') {
    return (
      <AuthLayout title="Set up Parley">
        <p className="muted" role="status">
          Checking this server…
        </p>
      </AuthLayout>
    );
  }
  if (status === 'done') {
    return (
      <AuthLayout title="Parley is already set up">
        <p>This server already has a workspace and an administrator.</p>
        <Link href="/login" className="button button-primary button-block">
          Go to sign in
        </Link>
      </AuthLayout>
    );
  }
  if (status === 'failed') {
    return (
      <AuthLayout title="Set up Parley">
        <div className="form-error" role="alert">
          <p>{checkError}</p>
        </div>
        <button type="button" className="button button-block" onClick={() => window.location.reload()}>
          Try again
        </button>
      </AuthLayout>
    );
  }
  if (!token) {
    return (
      <AuthLayout title="Set up Parley">
        <p>
          This page needs the one-time setup link that Parley printed when it first started. It looks like{' '}
          <code>https://your-host/setup#token=…</code>. Open that exact link in this browser.
        </p>
        <p className="muted">
          The link works once and expires after one hour; restart the server to print a new one.
        </p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Set up Parley"
      intro="Create your workspace and the first administrator account. You can invite your team afterwards."
    >
      <SetupForm token={token} onComplete={() => setStatus('done')} />
    </AuthLayout>
  );
}
