import { type FormEvent, useEffect, useState } from 'react';
import type { Conversation } from '../../../protocol/common.js';
import type { ResolutionCode } from '../../../protocol/service.js';
import { errorMessage } from '../api.js';
import { countsStoreOf } from '../hooks/use-lifecycle.js';
import { useSession } from '../lib/session-context.js';
import { lifecycleApi } from '../lifecycle-api.js';
import { serviceApi } from '../service-api.js';

/** Snooze choices, as times computed when the agent picks one (local time). */
const SNOOZES: ReadonlyArray<[string, string, () => Date | null]> = [
  ['hour', 'For an hour', () => new Date(Date.now() + 3_600_000)],
  ['tomorrow', 'Until tomorrow, 9:00', () => atNine(1)],
  ['week', 'Until Monday, 9:00', () => atNine((8 - new Date().getDay()) % 7 || 7)],
  ['reply', 'Until the visitor replies', () => null],
];

function atNine(daysAhead: number): Date {
  const d = new Date();
  d.setDate(d.getDate() + daysAhead);
  d.setHours(9, 0, 0, 0);
  return d;
}

/**
 * What an agent does with the conversation's status: resolve (with a code, none chosen for them;
 * required only if the workspace says so), snooze, mark as waiting on the visitor, reopen. Each
 * change reaches every inbox and the visitor's widget through the server; the view follows the
 * live update.
 */
export function LifecycleActions({
  conversation,
  onChanged,
}: {
  conversation: Conversation;
  onChanged: (status: Conversation['status']) => void;
}) {
  const { me, realtime } = useSession();
  const wid = me.workspace.id;
  const [codes, setCodes] = useState<ResolutionCode[]>([]);
  const [required, setRequired] = useState(false);
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const [snooze, setSnooze] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { status } = conversation;
  const working = status === 'open' || status === 'pending' || status === 'snoozed';

  useEffect(() => {
    if (!working) return;
    void Promise.all([serviceApi.codes(wid), lifecycleApi.settings(wid)]).then(
      ([c, s]) => {
        setCodes(c.items);
        setRequired(s.codeRequired);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [working, wid]);

  if (status === 'closed') return null;
  const run = async (action: () => Promise<{ status: Conversation['status'] }>) => {
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      setCode('');
      setNote('');
      setSnooze('');
      onChanged(result.status);
      countsStoreOf(realtime, wid).refresh();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const resolve = (event: FormEvent) => {
    event.preventDefault();
    if (required && !code) return;
    void run(() =>
      lifecycleApi.resolve(wid, conversation.id, {
        ...(code ? { code } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    );
  };
  const snoozeIt = (event: FormEvent) => {
    event.preventDefault();
    const choice = SNOOZES.find(([key]) => key === snooze);
    if (!choice) return;
    const until = choice[2]();
    void run(() => lifecycleApi.snooze(wid, conversation.id, until ? until.toISOString() : null));
  };

  return (
    <section
      className="lifecycle-actions"
      aria-label="Status"
      data-testid="lifecycle-actions"
      data-status={status}
    >
      {error && (
        <div className="inline-error" role="alert">
          {error}
        </div>
      )}
      {working && (
        <form onSubmit={resolve} className="query-form" data-testid="resolve-form">
          <label>
            Resolution code{required ? '' : ' (optional)'}
            <select
              value={code}
              onChange={(e) => setCode(e.target.value)}
              data-testid="resolution-code"
              required={required}
            >
              <option value="">{required ? 'Choose a code…' : 'No code'}</option>
              {codes.map((c) => (
                <option key={c.id} value={c.code}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <input
            aria-label="Resolution note (private)"
            placeholder="Resolution note (optional)"
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <button type="submit" className="button button-primary" disabled={busy || (required && !code)}>
            Resolve
          </button>
        </form>
      )}
      <div className="lifecycle-row">
        {(status === 'open' || status === 'pending') && (
          <form onSubmit={snoozeIt} className="query-form">
            <label>
              Snooze
              <select value={snooze} onChange={(e) => setSnooze(e.target.value)} data-testid="snooze-choice">
                <option value="">Choose when…</option>
                {SNOOZES.map(([key, label]) => (
                  <option key={key} value={key}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button" disabled={busy || !snooze} data-testid="snooze">
              Snooze
            </button>
          </form>
        )}
        {status === 'open' && (
          <button
            type="button"
            className="button"
            disabled={busy}
            data-testid="mark-pending"
            onClick={() => void run(() => lifecycleApi.pending(wid, conversation.id))}
          >
            Waiting on the visitor
          </button>
        )}
        {status !== 'open' && (
          <button
            type="button"
            className="button"
            disabled={busy}
            data-testid="reopen"
            onClick={() => void run(() => lifecycleApi.reopen(wid, conversation.id))}
          >
            Reopen
          </button>
        )}
      </div>
    </section>
  );
}
