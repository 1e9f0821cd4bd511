import { useEffect, useState } from 'react';
import type { KnowledgeHit } from '../../../protocol/knowledge-api.js';
import type { CannedResponse } from '../../../protocol/service.js';
import { errorMessage } from '../api.js';
import { knowledgeApi } from '../knowledge-api.js';
import { useSession } from '../lib/session-context.js';
import { serviceApi } from '../service-api.js';

/** The workspace's canned responses, loaded once per reply box. */
export function useCannedResponses(): CannedResponse[] {
  const { me } = useSession();
  const [items, setItems] = useState<CannedResponse[]>([]);
  useEffect(() => {
    serviceApi.canned(me.workspace.id).then(
      (r) => setItems(r.items),
      () => setItems([]),
    );
  }, [me.workspace.id]);
  return items;
}

/** "/ship" in the reply box: the canned responses whose shortcut starts with what was typed. */
export function cannedMatches(body: string, canned: CannedResponse[]): CannedResponse[] {
  const m = /^\/([a-z0-9_-]*)$/.exec(body.trim());
  if (!m) return [];
  return canned.filter((c) => c.shortcut.startsWith(m[1] ?? '')).slice(0, 6);
}

export const cannedOptionId = (listId: string, index: number) => `${listId}-${index}`;

/**
 * The suggestions under "/…", one of them highlighted: Enter or Tab in the reply box takes the
 * highlighted one, ↑ and ↓ move the highlight (the reply box is the combobox, this its listbox).
 */
export function CannedSuggestions({
  id,
  matches,
  active,
  onChoose,
}: {
  id: string;
  matches: CannedResponse[];
  active: number;
  onChoose: (c: CannedResponse) => void;
}) {
  if (matches.length === 0) return null;
  return (
    <div className="canned-suggestions" data-testid="canned-suggestions">
      <div id={id} role="listbox" aria-label="Canned responses" className="canned-options">
        {matches.map((c, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works through the reply box (combobox)
          <div
            key={c.id}
            id={cannedOptionId(id, i)}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            className={`canned-option${i === active ? ' is-active' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onChoose(c)}
          >
            /{c.shortcut} · {c.title}
          </div>
        ))}
      </div>
      <p className="canned-hint muted">
        <kbd>Enter</kbd> or <kbd>Tab</kbd> to insert · <kbd>↑</kbd> <kbd>↓</kbd> to choose
      </p>
    </div>
  );
}

/** Search the knowledge base the bot answers from and put an answer into the reply. */
export function KnowledgeInsert({ onInsert }: { onInsert: (text: string) => void }) {
  const { me } = useSession();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<KnowledgeHit[]>([]);
  const [error, setError] = useState<string | null>(null);
  const search = () => {
    if (!q.trim()) return;
    knowledgeApi.search(me.workspace.id, q.trim()).then(
      (r) => {
        setHits(r.items);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  };
  return (
    <details className="kb-insert">
      <summary>Knowledge base</summary>
      <div className="kb-insert-search">
        <input
          type="search"
          aria-label="Search the knowledge base"
          placeholder="Search articles…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              search();
            }
          }}
        />
        <button type="button" className="button button-small" onClick={search}>
          Search
        </button>
      </div>
      {error && <p className="inline-error">{error}</p>}
      <ul className="kb-hits">
        {hits.map((h) => (
          <li key={h.article.id}>
            <strong>{h.article.title}</strong>
            <button type="button" className="button button-small" onClick={() => onInsert(h.article.body)}>
              Insert
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
