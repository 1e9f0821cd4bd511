import { useState } from 'react';
import type { Channel, ChannelCreated } from '../../../protocol/channels.js';
import { api, errorMessage } from '../api.js';
import { CHANNEL_LABELS, channelsApi } from '../channels-api.js';
import { ChannelForm } from '../components/channel-form.js';
import { LoadStatus } from '../components/load-status.js';
import { RelativeTime } from '../components/relative-time.js';
import { SecretBox } from '../components/secret-box.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { useSession } from '../lib/session-context.js';

/** How to give the platform the webhook URL and secret, per platform. */
function SetupSteps({ created }: { created: ChannelCreated }) {
  const { channel } = created;
  if (channel.kind === 'email') return <EmailSetupSteps address={channel.inboundAddress ?? ''} />;
  if (channel.kind === 'telegram')
    return (
      <ol className="setup-steps">
        <li>
          Call Telegram’s <code>setWebhook</code> for your bot with <code>url</code> set to the webhook URL
          and <code>secret_token</code> set to the webhook secret.
        </li>
        <li>Write to the bot: the conversation appears in the inbox.</li>
      </ol>
    );
  return (
    <ol className="setup-steps">
      <li>In your Meta app, open the webhook settings of {CHANNEL_LABELS[channel.kind]}.</li>
      <li>Enter the webhook URL as the callback URL and the webhook secret as the verify token.</li>
      <li>
        Subscribe to <code>messages</code>. Replies are possible within 24 hours of the customer’s last
        message.
      </li>
    </ol>
  );
}

/** Where the mail of an email channel's address must go, and what makes replies arrive. */
function EmailSetupSteps({ address }: { address: string }) {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return (
    <ol className="setup-steps" data-testid="channel-email-steps">
      <li>
        Forward mail for <code>{address}</code> to Parley’s SMTP listener: either point the MX record of{' '}
        <code>{domain}</code> at the host running Parley, or add a forwarding rule on your mail server or
        relay that delivers this address to Parley (port set by <code>PARLEY_SMTP_INBOUND_PORT</code>).
      </li>
      <li>
        Have the relay add an <code>Authentication-Results</code> header and set{' '}
        <code>PARLEY_SMTP_AUTHSERV_ID</code> to its name: agents then see SPF, DKIM and DMARC beside each
        mail.
      </li>
      <li>
        Replies leave through <code>PARLEY_SMTP_URL</code>. Publish SPF and DKIM for its sending domain (
        <code>PARLEY_DKIM_*</code>) so they are not taken for spam.
      </li>
      <li>Write to {address}: the conversation appears in the inbox.</li>
    </ol>
  );
}

/** Administrators connect messaging platforms, see whether each works, and remove them. */
export function ChannelsScreen() {
  useTitle('Channels');
  const { me } = useSession();
  const wid = me.workspace.id;
  const { result, reload } = useLoad(`channels/${wid}`, async () => ({
    channels: (await channelsApi.list(wid)).items,
    widgets: (await api.listWidgets(wid)).items,
  }));
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<ChannelCreated | null>(null);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">Channels</h1>
          <p className="page-intro">
            Customers who write by email, on Telegram, WhatsApp, Messenger or Instagram land in the inbox with
            everyone else. Each channel follows a widget: its bot, hours, team and retention apply.
          </p>
        </div>
        {!adding && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setAdding(true);
              setCreated(null);
            }}
            data-testid="channel-new"
          >
            Add channel
          </button>
        )}
      </div>
      {created && (
        <section
          className="card notice-success"
          aria-labelledby="channel-created-title"
          data-testid="channel-created"
        >
          <h2 id="channel-created-title" className="card-title">
            {created.channel.kind === 'email'
              ? `“${created.channel.name}” is added: now route its mail to Parley`
              : `“${created.channel.name}” is connected: now tell ${CHANNEL_LABELS[created.channel.kind]}`}
          </h2>
          {created.channel.kind === 'email' ? (
            <SecretBox
              label="Inbound address"
              value={created.channel.inboundAddress ?? ''}
              testId="channel-inbound-address"
            />
          ) : (
            <>
              <p>
                <strong>Copy the secret now: it will not be shown again.</strong>
              </p>
              <SecretBox
                label="Webhook URL"
                value={created.channel.webhookUrl}
                testId="channel-webhook-url"
              />
              <SecretBox
                label="Webhook secret"
                value={created.webhookSecret}
                testId="channel-webhook-secret"
              />
            </>
          )}
          <SetupSteps created={created} />
          <div className="form-actions">
            <button
              type="button"
              className="button"
              onClick={() => setCreated(null)}
              data-testid="channel-done"
            >
              Done
            </button>
          </div>
        </section>
      )}
      {adding && result.state === 'ready' && (
        <section className="card" aria-labelledby="channel-form-title">
          <h2 id="channel-form-title" className="card-title">
            Add a channel
          </h2>
          {result.data.widgets.length === 0 ? (
            <p className="notice">Create a widget first: a channel follows a widget’s bot and team.</p>
          ) : (
            <ChannelForm
              widgets={result.data.widgets}
              onCancel={() => setAdding(false)}
              onSubmit={async (body) => {
                setCreated(await channelsApi.create(wid, body));
                setAdding(false);
                reload();
              }}
            />
          )}
        </section>
      )}
      <LoadStatus result={result} loading="Loading channels…" onRetry={reload} />
      {result.state === 'ready' &&
        (result.data.channels.length === 0 ? (
          <p className="muted" data-testid="channels-empty">
            No channels yet.
          </p>
        ) : (
          <div className="table-scroll" {...scrollableRegion('Channels table')}>
            <table className="table" data-testid="channel-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Platform</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last received</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.data.channels.map((c) => (
                  <ChannelRow key={c.id} channel={c} onRemoved={reload} />
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </div>
  );
}

function ChannelRow({ channel: c, onRemoved }: { channel: Channel; onRemoved: () => void }) {
  const { me } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    try {
      await channelsApi.remove(me.workspace.id, c.id);
      onRemoved();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <tr data-testid="channel-row" data-channel-id={c.id}>
      <td>
        {c.name}
        {c.inboundAddress && <div className="muted">{c.inboundAddress}</div>}
      </td>
      <td>
        <span className={`channel-tag channel-${c.kind}`}>{CHANNEL_LABELS[c.kind]}</span>
      </td>
      <td data-testid="channel-status">
        {c.status === 'active' ? (
          'Working'
        ) : (
          <span className="channel-failing">
            Failing: {c.lastError}
            {c.lastErrorAt && (
              <>
                {' '}
                (<RelativeTime iso={c.lastErrorAt} />)
              </>
            )}
          </span>
        )}
      </td>
      <td>{c.lastSeenAt ? <RelativeTime iso={c.lastSeenAt} /> : <span className="muted">Never</span>}</td>
      <td>
        {error && <span role="alert">{error} </span>}
        {confirming ? (
          <span className="confirm-actions">
            <button
              type="button"
              className="button button-danger"
              onClick={remove}
              data-testid="channel-remove-confirm"
            >
              Remove now
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="button"
            aria-label={`Remove ${c.name}`}
            onClick={() => setConfirming(true)}
            data-testid="channel-remove"
          >
            Remove
          </button>
        )}
      </td>
    </tr>
  );
}
