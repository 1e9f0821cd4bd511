import { useState } from 'react';
import type { Widget } from '../../../protocol/api.js';
import { errorMessage } from '../api.js';
import { useSession } from '../lib/session-context.js';
import { tokenApi } from '../lib/token-api.js';
import { SecretBox } from './secret-box.js';

/**
 * Identity verification for a widget: how the site's backend vouches for its signed-in users, and
 * the secret it needs (administrators only; shown on request, rotatable).
 */
export function IdentityCard({ widget }: { widget: Widget }) {
  const { me, isAdmin } = useSession();
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<{ secret: string }>, done: string | null) => {
    setBusy(true);
    setError(null);
    try {
      setSecret((await action()).secret);
      setNotice(done);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      setConfirmRotate(false);
    }
  };

  const example = widget.embedSnippet.replace(
    ' async>',
    ' data-parley-user-id="USER_ID" data-parley-user-hash="USER_HASH" async>',
  );

  return (
    <section className="card" aria-labelledby="identity-title" data-testid="identity-card">
      <h2 id="identity-title" className="card-title">
        Identity verification
      </h2>
      <p>
        {widget.requireIdentity
          ? 'Required: only visitors your website has signed in can chat.'
          : 'Optional: signed-in users are recognised on every device; anonymous visitors can chat too.'}
      </p>
      <p className="muted">
        For a signed-in user, your backend computes <code>HMAC-SHA256(secret, userId)</code> in hex and adds
        both to the snippet. The same user then sees the same conversation on every device. Never put the
        secret itself in a page.
      </p>
      <pre className="snippet-code">
        <code>{example}</code>
      </pre>
      {isAdmin && (
        <div className="identity-secret">
          {secret ? (
            <SecretBox label="Identity secret" value={secret} testId="identity-secret" />
          ) : (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => run(() => tokenApi.getIdentitySecret(me.workspace.id, widget.id), null)}
              data-testid="identity-secret-show"
            >
              Show secret
            </button>
          )}
          {confirmRotate ? (
            <span className="confirm-actions">
              <span>Hashes made with the current secret stop working at once.</span>
              <button
                type="button"
                className="button button-small button-danger"
                disabled={busy}
                onClick={() =>
                  run(
                    () => tokenApi.rotateIdentitySecret(me.workspace.id, widget.id),
                    'New secret created. Update your backend now.',
                  )
                }
                data-testid="identity-secret-rotate-confirm"
              >
                Rotate now
              </button>
              <button
                type="button"
                className="button button-small button-quiet"
                onClick={() => setConfirmRotate(false)}
              >
                Cancel
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => setConfirmRotate(true)}
              data-testid="identity-secret-rotate"
            >
              Rotate secret…
            </button>
          )}
          {notice && (
            <div className="notice notice-success" role="status">
              {notice}
            </div>
          )}
          {error && (
            <div className="inline-error" role="alert">
              {error}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
