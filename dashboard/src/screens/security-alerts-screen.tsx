import { useEffect } from 'react';
import type { SecurityAlert } from '../../../protocol/security-alerts.js';
import { ALERTS_SEEN_EVENT, alertsApi } from '../alerts-api.js';
import { LoadStatus } from '../components/load-status.js';
import { RelativeTime } from '../components/relative-time.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { useSession } from '../lib/session-context.js';

/** What each fact is called on the screen; a fact not named here shows under its own key. */
const FACT_LABELS: Record<string, string> = {
  refusals: 'Refusals',
  windowMinutes: 'Within (minutes)',
  distinctAddresses: 'Distinct addresses',
  addresses: 'Addresses (refusals)',
  origins: 'Origins (refusals)',
  window: 'Within',
  user: 'User',
  event: 'What happened',
  key: 'Master key',
  problems: 'Problems found',
  conversation: 'Conversation',
};

/** The first thing to do for each rule; the runbooks in docs/OPERATIONS.md say the rest. */
const FIRST_STEP: Record<string, string> = {
  brute_force: 'Find the addresses in the audit log (failed sign-ins) and block them at your proxy.',
  admin_created: 'Confirm with the administrator who made the change; the audit log names them.',
  mfa_turned_off: 'Ask the person; if nobody meant it, treat the account as taken over.',
  key_rotation: 'Expected during a planned rotation; otherwise someone has shell access to the host.',
  audit_chain_broken: 'Keep a copy of the database as it is and compare it with the last backup.',
  refused_origins: 'A site you embed the widget on but did not allow, or a forged request from another site.',
  refused_tickets: 'Someone replaying or guessing WebSocket tickets; block the addresses if they persist.',
  refused_addresses:
    'Administration tried from outside the allow-list; block the addresses unless they are yours.',
  infected_upload:
    'Nothing was stored. The audit log names who sent it and the signature; a test file is harmless.',
  break_glass:
    'Expected while the company sign-in provider is down; otherwise treat that password as stolen.',
};

/**
 * Recent security alerts (administrators): each with its rule, when it was raised, what it said
 * and how many of its kind the throttle held back before it. The same alerts went out by mail and
 * to the webhook; the audit log records each as `security.alert.raised`.
 */
export function SecurityAlertsScreen() {
  useTitle('Security alerts');
  const { me } = useSession();
  const wid = me.workspace.id;
  const { result, reload } = useLoad(`security-alerts:${wid}`, () => alertsApi.list(wid));
  const newest = result.state === 'ready' ? result.data.items[0]?.raisedAt : undefined;
  const unread = result.state === 'ready' ? result.data.unread : 0;

  // Shown is seen: the count beside Alerts goes, the "New" marks stay until the next visit.
  useEffect(() => {
    if (!newest || unread === 0) return;
    alertsApi.seen(wid, newest).then(
      () => window.dispatchEvent(new Event(ALERTS_SEEN_EVENT)),
      () => undefined,
    );
  }, [wid, newest, unread]);

  return (
    <div className="page page-narrow">
      <div className="page-header">
        <div>
          <h1 className="page-title">Security alerts</h1>
          <p className="page-intro">
            Alerts of the last 90 days, newest first. Each also went to every administrator by mail and to the
            alert webhook when one is set. An attack going on raises one alert per rule every{' '}
            <code>PARLEY_ALERT_THROTTLE_MINUTES</code>; the next one says how many were held back.
          </p>
        </div>
        <button type="button" className="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <LoadStatus result={result} loading="Loading the alerts…" onRetry={reload} />
      {result.state === 'ready' && result.data.items.length === 0 && (
        <div className="empty-state">
          <h2 className="empty-title">No security alerts</h2>
          <p>Nothing has raised an alert in the last 90 days.</p>
        </div>
      )}
      {result.state === 'ready' && result.data.items.length > 0 && (
        <ul className="alert-list" aria-label="Security alerts">
          {result.data.items.map((alert, i) => (
            <AlertItem key={alert.id} alert={alert} isNew={i < unread} />
          ))}
        </ul>
      )}
    </div>
  );
}

function AlertItem({ alert, isNew }: { alert: SecurityAlert; isNew: boolean }) {
  const facts = Object.entries(alert.facts);
  return (
    <li className="card alert-item" data-testid="security-alert" data-rule={alert.rule} data-new={isNew}>
      <header className="mail-header">
        <h2 className="card-title">{alert.title}</h2>
        <span className="alert-when">
          {isNew && <span className="alert-new">New</span>}
          <RelativeTime iso={alert.raisedAt} ago className="muted" />
        </span>
      </header>
      {FIRST_STEP[alert.rule] && <p className="alert-step">{FIRST_STEP[alert.rule]}</p>}
      <dl className="details alert-facts">
        <dt>Rule</dt>
        <dd>
          <code>{alert.rule}</code>
        </dd>
        {facts.map(([key, value]) => (
          <Fact key={key} label={FACT_LABELS[key] ?? key} value={String(value)} />
        ))}
        <dt>Held back before it</dt>
        <dd data-testid="held-back">{alert.heldBack === 0 ? 'none' : alert.heldBack}</dd>
      </dl>
    </li>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
