import { type FormEvent, useState } from 'react';
import { LIMITS } from '../../../protocol/limits.js';
import { errorMessage } from '../api.js';
import { dataApi } from '../data-protection-api.js';
import { useLoad } from '../hooks/use-load.js';
import { useSession } from '../lib/session-context.js';
import { TextAreaField } from './field.js';
import { RelativeTime } from './relative-time.js';

/** Internal notes on a conversation: the team sees them, the visitor never does. Text only. */
export function NotesList({ conversationId }: { conversationId: string }) {
  const { me } = useSession();
  const wid = me.workspace.id;
  const notes = useLoad(`${wid}/${conversationId}/notes`, () => dataApi.listNotes(wid, conversationId));
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const note = await dataApi.addNote(wid, conversationId, draft.trim());
      if (notes.result.state === 'ready') notes.set({ items: [...notes.result.data.items, note] });
      setDraft('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="notes">
      <h3 className="card-subtitle">Notes</h3>
      {notes.result.state === 'ready' && notes.result.data.items.length === 0 && (
        <p className="muted">No notes yet.</p>
      )}
      {notes.result.state === 'ready' && (
        <ul className="notes-list">
          {notes.result.data.items.map((n) => (
            <li key={n.id} className="note" data-testid="note">
              <p className="pre-wrap">{n.body}</p>
              <p className="muted">
                {n.author.name} · <RelativeTime iso={n.createdAt} ago />
              </p>
            </li>
          ))}
        </ul>
      )}
      <form className="form" onSubmit={submit}>
        <TextAreaField
          label="Add a note"
          rows={2}
          maxLength={LIMITS.maxMessageChars}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          error={error}
          data-testid="note-input"
        />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-small"
            disabled={busy || !draft.trim()}
            data-testid="note-add"
          >
            Add note
          </button>
        </div>
      </form>
    </div>
  );
}
