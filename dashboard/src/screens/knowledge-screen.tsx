import { useState } from 'react';
import type { Article, KnowledgeHit } from '../../../protocol/knowledge-api.js';
import { errorMessage } from '../api.js';
import { ArticleForm } from '../components/article-form.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { knowledgeApi } from '../knowledge-api.js';
import { useSession } from '../lib/session-context.js';

type Editing = { article: Article | null } | null;

/** The knowledge base: everyone searches it; administrators write it. */
export function KnowledgeScreen() {
  useTitle('Knowledge base');
  const { me } = useSession();
  const wid = me.workspace.id;
  const canManage = me.role === 'administrator';
  const list = useLoad(`kb:${wid}`, () => knowledgeApi.list(wid).then((r) => r.items));
  const [editing, setEditing] = useState<Editing>(null);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<KnowledgeHit[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const search = async (q: string) => {
    setQuery(q);
    if (!q.trim()) return setHits(null);
    try {
      setHits((await knowledgeApi.search(wid, q.trim())).items);
      setProblem(null);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  const remove = async (a: Article) => {
    setBusyId(a.id);
    try {
      await knowledgeApi.remove(wid, a.id);
      list.reload();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusyId(null);
    }
  };

  const articles = list.result.state === 'ready' ? list.result.data : [];
  const shown = hits ? hits.map((h) => h.article) : articles;
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">Knowledge base</h1>
          <p className="page-intro">
            Answers the bot gives visitors, citing the title. Below a widget&apos;s confidence threshold it
            offers the closest articles and a person instead.
          </p>
        </div>
        {canManage && !editing && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setEditing({ article: null })}
          >
            New article
          </button>
        )}
      </div>
      {editing && (
        <ArticleForm
          key={editing.article?.id ?? 'new'}
          article={editing.article}
          onCancel={() => setEditing(null)}
          onSave={async (body) => {
            if (editing.article) await knowledgeApi.update(wid, editing.article.id, body);
            else await knowledgeApi.create(wid, body);
            setEditing(null);
            list.reload();
            if (query) void search(query);
          }}
        />
      )}
      <input
        type="search"
        className="input kb-search"
        placeholder="Search articles as a customer would ask…"
        aria-label="Search the knowledge base"
        value={query}
        onChange={(e) => void search(e.currentTarget.value)}
      />
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {list.result.state === 'loading' && <p className="muted">Loading articles…</p>}
      {list.result.state === 'error' && <p role="alert">{list.result.message}</p>}
      {list.result.state === 'ready' && shown.length === 0 && (
        <p className="muted">{hits ? 'No article matches.' : 'No articles yet.'}</p>
      )}
      <ul className="kb-list">
        {shown.map((a, i) => (
          <li key={a.id} className="card kb-item" data-testid="kb-article">
            <div className="kb-item-head">
              <strong>{a.title}</strong>
              {!a.published && <span className="kind-tag">Draft</span>}
              {hits && <span className="muted">{Math.round((hits[i]?.confidence ?? 0) * 100)}% match</span>}
            </div>
            <p className="kb-body">{a.body}</p>
            {canManage && (
              <div className="form-actions">
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => setEditing({ article: a })}
                >
                  Edit
                </button>
                <ConfirmButton
                  label="Delete"
                  question="Delete this article?"
                  detail={a.title}
                  confirmLabel="Delete"
                  busy={busyId === a.id}
                  onConfirm={() => void remove(a)}
                  testId="kb-delete"
                />
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
