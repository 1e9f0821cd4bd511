import { useState } from 'react';
import type { Widget } from '../../../protocol/api.js';
import { LANGUAGE_NAMES, type Language } from '../../../protocol/languages.js';
import type { PrechatSettingsBody } from '../../../protocol/prechat.js';
import { api } from '../api.js';
import { BotSettingsCard } from '../components/bot-settings-card.js';
import { BrandingCard } from '../components/branding-card.js';
import { EmbedSnippet } from '../components/embed-snippet.js';
import { FlowsCard } from '../components/flows-card.js';
import { IdentityCard } from '../components/identity-card.js';
import { PrechatCard } from '../components/prechat-card.js';
import { ProactiveCard } from '../components/proactive-card.js';
import { RelativeTime } from '../components/relative-time.js';
import { RetentionSection } from '../components/retention-section.js';
import { WidgetForm } from '../components/widget-form.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { Link, useSearch } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';

export function WidgetDetailScreen({ widgetId }: { widgetId: string }) {
  const { me } = useSession();
  const wid = me.workspace.id;
  const { result, reload, set } = useLoad(`${wid}/${widgetId}`, () => api.getWidget(wid, widgetId));
  useTitle(result.state === 'ready' ? result.data.name : 'Widget');

  return (
    <div className="page page-narrow">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/widgets">Widgets</Link> <span aria-hidden="true">/</span>{' '}
        <span>{result.state === 'ready' ? result.data.name : 'Widget'}</span>
      </nav>
      {result.state === 'loading' && (
        <p className="muted" role="status">
          Loading widget…
        </p>
      )}
      {result.state === 'error' && (
        <div className="inline-error" role="alert">
          <span>
            {result.status === 404 ? 'This widget does not exist in your workspace.' : result.message}
          </span>
          {result.status !== 404 && (
            <button type="button" className="button button-small" onClick={reload}>
              Retry
            </button>
          )}
        </div>
      )}
      {result.state === 'ready' && <WidgetDetails widget={result.data} onSaved={set} />}
    </div>
  );
}

function WidgetDetails({ widget, onSaved }: { widget: Widget; onSaved: (w: Widget) => void }) {
  const { me, isAdmin } = useSession();
  const created = useSearch().get('created') === '1';
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  // The pre-chat form as it is being edited, drawn in the look's preview before it is saved.
  const [prechat, setPrechat] = useState<PrechatSettingsBody | null>(null);

  if (editing) {
    return (
      <>
        <h1 className="page-title">Edit {widget.name}</h1>
        <WidgetForm
          initial={widget}
          submitLabel="Save changes"
          busyLabel="Saving…"
          onSubmit={async (body) => {
            onSaved(await api.updateWidget(me.workspace.id, widget.id, body));
            setEditing(false);
            setSaved(true);
          }}
          onCancel={() => setEditing(false)}
        />
      </>
    );
  }

  return (
    <>
      <div className="page-header">
        <h1 className="page-title">{widget.name}</h1>
        {isAdmin && (
          <button type="button" className="button" onClick={() => setEditing(true)} data-testid="widget-edit">
            Edit
          </button>
        )}
      </div>
      {(created || saved) && (
        <div className="notice notice-success" role="status">
          {saved ? 'Changes saved.' : 'Widget created. Paste the snippet below into your website to start.'}
        </div>
      )}
      <section className="card" aria-labelledby="embed-title">
        <h2 id="embed-title" className="card-title">
          Embed snippet
        </h2>
        <p className="muted">
          Paste this line before <code>&lt;/body&gt;</code> on every page that should show the chat. It only
          works on the allowed origins below.
        </p>
        <EmbedSnippet snippet={widget.embedSnippet} />
      </section>
      <section className="card" aria-labelledby="settings-title">
        <h2 id="settings-title" className="card-title">
          Settings
        </h2>
        <dl className="details">
          <dt>Allowed origins</dt>
          <dd>
            <ul className="origin-list" data-testid="widget-origin-list">
              {widget.allowedOrigins.map((o) => (
                <li key={o} className="mono">
                  {o}
                </li>
              ))}
            </ul>
          </dd>
          <dt>Greeting</dt>
          <dd className="pre-wrap">{widget.greeting || <span className="muted">No greeting</span>}</dd>
          <dt>Language</dt>
          <dd data-testid="widget-language">
            {widget.alwaysDefaultLanguage
              ? `Always ${LANGUAGE_NAMES[widget.defaultLanguage]}`
              : `The visitor’s browser language, else ${LANGUAGE_NAMES[widget.defaultLanguage]}`}
            {Object.keys(widget.greetingTranslations).length > 0 &&
              ` · greeting also in ${Object.keys(widget.greetingTranslations)
                .map((l) => LANGUAGE_NAMES[l as Language])
                .join(', ')}`}
          </dd>
          <dt>Bot name</dt>
          <dd>{widget.botName}</dd>
          <dt>Identity</dt>
          <dd data-testid="widget-require-identity-value">
            {widget.requireIdentity ? 'Required' : 'Optional'}
          </dd>
          <dt>Created</dt>
          <dd>
            <RelativeTime iso={widget.createdAt} ago />
          </dd>
          <dt>Widget id</dt>
          <dd className="mono">{widget.id}</dd>
        </dl>
      </section>
      {isAdmin && <BrandingCard widget={widget} prechat={prechat} />}
      {isAdmin && <PrechatCard widget={widget} onDraft={setPrechat} />}
      {isAdmin && <ProactiveCard widget={widget} />}
      <IdentityCard widget={widget} />
      {isAdmin && <FlowsCard widgetId={widget.id} />}
      {isAdmin && <BotSettingsCard widgetId={widget.id} />}
      <RetentionSection widgetId={widget.id} />
    </>
  );
}
