import { useEffect, useState } from 'react';
import { useSession } from '../lib/session-context.js';

/**
 * The workspace's id, which every REST path names (`/api/v1/workspaces/<id>/…`), with a Copy
 * button: an API client needs it next to its token, and the dashboard is where a person finds it.
 */
export function WorkspaceId() {
  const { me } = useSession();
  const id = me.workspace.id;
  const [said, setSaid] = useState('');
  useEffect(() => {
    if (!said) return;
    const t = setTimeout(() => setSaid(''), 4000);
    return () => clearTimeout(t);
  }, [said]);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(id);
      setSaid('Workspace id copied to the clipboard.');
    } catch {
      setSaid('Copying is not allowed here: select the id and press Ctrl+C (⌘C on Mac).');
    }
  };
  return (
    <section className="card" aria-labelledby="workspace-id-title" data-testid="workspace-id-card">
      <h2 id="workspace-id-title" className="card-title">
        Workspace id
      </h2>
      <p className="muted">
        API paths name it:{' '}
        <code>
          /api/v1/workspaces/{'{'}workspace id{'}'}/…
        </code>
      </p>
      <div className="workspace-id-row">
        <code className="workspace-id-value" data-testid="workspace-id">
          {id}
        </code>
        <button type="button" className="button button-small" onClick={copy} data-testid="workspace-id-copy">
          Copy
        </button>
        <span className="muted" role="status">
          {said}
        </span>
      </div>
    </section>
  );
}
