import { useEffect, useId, useRef, useState } from 'react';
import type { Widget } from '../../../protocol/api.js';
import type { Conversation } from '../../../protocol/common.js';
import { SEARCH_LIMITS, SEARCH_STATUSES, type SearchQuery } from '../../../protocol/search.js';
import type { Team } from '../../../protocol/service.js';
import { api, errorMessage } from '../api.js';
import { useLabels } from '../hooks/use-labels.js';
import { labelsApi } from '../labels-api.js';
import { useSession } from '../lib/session-context.js';
import { serviceApi } from '../service-api.js';

const STATUS_NAMES: Record<string, string> = {
  open: 'Open',
  pending: 'Pending',
  snoozed: 'Snoozed',
  resolved: 'Resolved',
  closed: 'Closed',
};

export type SearchState =
  | { state: 'idle' }
  | { state: 'searching' }
  | { state: 'done'; items: Conversation[] }
  | { state: 'error'; message: string };

/**
 * The inbox's one search box: words of a message, a visitor's name or email, and filters. While a
 * query or a filter is set, the list shows what the server found (confined and masked like the list).
 */
export function InboxSearch({ onChange }: { onChange: (state: SearchState) => void }) {
  const { me, realtime } = useSession();
  const wid = me.workspace.id;
  const labels = useLabels();
  // Bumped when another agent labels a conversation while a label filter is on: the results read again.
  const [relabelled, setRelabelled] = useState(0);
  const searched = useRef('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [filters, setFilters] = useState<Omit<SearchQuery, 'q' | 'limit'>>({});
  const [teams, setTeams] = useState<Team[]>([]);
  const [widgets, setWidgets] = useState<Widget[]>([]);
  const panelId = useId();
  const ids = {
    status: useId(),
    assignee: useId(),
    team: useId(),
    label: useId(),
    widget: useId(),
    from: useId(),
    to: useId(),
  };

  useEffect(() => {
    if (!open) return;
    serviceApi.teams(wid).then(
      (r) => setTeams(r.items),
      () => setTeams([]),
    );
    api.listWidgets(wid).then(
      (r) => setWidgets(r.items),
      () => setWidgets([]),
    );
  }, [open, wid]);

  // One character is not a word yet: the list stays as it is until a second one.
  const words = q.trim().length >= 2 ? q.trim() : '';
  const active = words !== '' || Object.values(filters).some((v) => v !== undefined && v !== '');
  const key = JSON.stringify([words, filters]);
  const labelFilter = filters.labelId;
  useEffect(() => {
    if (!labelFilter) return;
    const off = realtime.onFrame((f) => {
      if (f.type === 'conversation.labels') setRelabelled((n) => n + 1);
    });
    return () => {
      off();
    };
  }, [realtime, labelFilter]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` holds the query and the filters
  useEffect(() => {
    if (!active) {
      searched.current = '';
      onChange({ state: 'idle' });
      return;
    }
    let live = true;
    // The same search again (a label changed elsewhere) keeps its results on screen meanwhile.
    if (searched.current !== key) onChange({ state: 'searching' });
    searched.current = key;
    const timer = setTimeout(() => {
      labelsApi.search(wid, { ...filters, q: words }).then(
        (r) => live && onChange({ state: 'done', items: r.items }),
        (e: unknown) => live && onChange({ state: 'error', message: errorMessage(e) }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, wid, relabelled]);

  // The label filtered by was deleted (here or by another administrator): the filter goes with it,
  // rather than a list that can only be empty behind a label nobody can pick any more.
  useEffect(() => {
    if (labelFilter && labels.length > 0 && !labels.some((l) => l.id === labelFilter))
      setFilters((f) => ({ ...f, labelId: undefined }));
  }, [labels, labelFilter]);

  const set = (k: keyof typeof filters, v: string) =>
    setFilters((f) => ({ ...f, [k]: v === '' ? undefined : v }));
  const count = Object.values(filters).filter((v) => v !== undefined && v !== '').length;

  return (
    <search className="inbox-search">
      <div className="inbox-search-row">
        <label className="visually-hidden" htmlFor="inbox-search">
          Search conversations
        </label>
        <input
          id="inbox-search"
          className="input"
          type="search"
          placeholder="Search messages, names, emails"
          maxLength={SEARCH_LIMITS.maxQueryChars}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setQ('');
          }}
          data-testid="inbox-search"
        />
        <button
          type="button"
          className="button button-small"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((o) => !o)}
          data-testid="search-filters-toggle"
        >
          Filters{count > 0 ? ` (${count})` : ''}
        </button>
      </div>
      <div id={panelId} className="inbox-filters" hidden={!open}>
        <div className="field">
          <label className="field-label" htmlFor={ids.status}>
            Status
          </label>
          <select
            id={ids.status}
            className="input"
            value={filters.status ?? ''}
            onChange={(e) => set('status', e.target.value)}
            data-testid="filter-status"
          >
            <option value="">Any</option>
            {SEARCH_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_NAMES[s] ?? s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.assignee}>
            Assignee
          </label>
          <select
            id={ids.assignee}
            className="input"
            value={filters.assignee ?? ''}
            onChange={(e) => set('assignee', e.target.value)}
            data-testid="filter-assignee"
          >
            <option value="">Anyone</option>
            <option value={me.user.id}>Me</option>
            <option value="none">Nobody</option>
          </select>
        </div>
        {teams.length > 0 && (
          <div className="field">
            <label className="field-label" htmlFor={ids.team}>
              Team
            </label>
            <select
              id={ids.team}
              className="input"
              value={filters.teamId ?? ''}
              onChange={(e) => set('teamId', e.target.value)}
              data-testid="filter-team"
            >
              <option value="">Any</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label className="field-label" htmlFor={ids.label}>
            Label
          </label>
          <select
            id={ids.label}
            className="input"
            value={filters.labelId ?? ''}
            onChange={(e) => set('labelId', e.target.value)}
            data-testid="filter-label"
          >
            <option value="">Any</option>
            {labels.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        {widgets.length > 0 && (
          <div className="field">
            <label className="field-label" htmlFor={ids.widget}>
              Widget
            </label>
            <select
              id={ids.widget}
              className="input"
              value={filters.widgetId ?? ''}
              onChange={(e) => set('widgetId', e.target.value)}
              data-testid="filter-widget"
            >
              <option value="">Any</option>
              {widgets.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label className="field-label" htmlFor={ids.from}>
            Active from
          </label>
          <input
            id={ids.from}
            className="input"
            type="date"
            value={filters.from ?? ''}
            onChange={(e) => set('from', e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.to}>
            Started by
          </label>
          <input
            id={ids.to}
            className="input"
            type="date"
            value={filters.to ?? ''}
            onChange={(e) => set('to', e.target.value)}
          />
        </div>
        {count > 0 && (
          <button type="button" className="button button-small button-quiet" onClick={() => setFilters({})}>
            Clear filters
          </button>
        )}
      </div>
    </search>
  );
}
