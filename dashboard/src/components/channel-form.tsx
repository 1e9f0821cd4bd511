import { type FormEvent, useState } from 'react';
import type { Widget } from '../../../protocol/api.js';
import type { ChannelKind, CreateChannelBody } from '../../../protocol/channels.js';
import { ApiError, errorMessage } from '../api.js';
import { CHANNEL_LABELS } from '../channels-api.js';
import { FormError, TextField } from './field.js';

const KINDS: ChannelKind[] = ['email', 'telegram', 'whatsapp', 'messenger', 'instagram'];

/** What each platform needs from the administrator, in the platform's own words. */
const NEEDS: Record<
  ChannelKind,
  Array<{
    key: 'address' | 'botToken' | 'accessToken' | 'appSecret' | 'phoneNumberId';
    label: string;
    hint: string;
  }>
> = {
  email: [
    {
      key: 'address',
      label: 'Inbound address',
      hint: 'The address customers write to, e.g. support@company.example. Its mail is forwarded to Parley.',
    },
  ],
  telegram: [{ key: 'botToken', label: 'Bot token', hint: 'From @BotFather, e.g. 123456:ABC-DEF…' }],
  whatsapp: [
    {
      key: 'accessToken',
      label: 'Access token',
      hint: 'A system user’s permanent token with whatsapp_business_messaging.',
    },
    {
      key: 'appSecret',
      label: 'App secret',
      hint: 'App settings → Basic → App secret: checks the webhook signatures.',
    },
    {
      key: 'phoneNumberId',
      label: 'Phone number ID',
      hint: 'WhatsApp → API setup: the number replies are sent from.',
    },
  ],
  messenger: [
    { key: 'accessToken', label: 'Page access token', hint: 'For the Facebook page people write to.' },
    {
      key: 'appSecret',
      label: 'App secret',
      hint: 'App settings → Basic → App secret: checks the webhook signatures.',
    },
  ],
  instagram: [
    {
      key: 'accessToken',
      label: 'Page access token',
      hint: 'For the page linked to the Instagram professional account.',
    },
    {
      key: 'appSecret',
      label: 'App secret',
      hint: 'App settings → Basic → App secret: checks the webhook signatures.',
    },
  ],
};

/** Adds a channel: the platform, which widget's bot and team it follows, and its credentials. */
export function ChannelForm({
  widgets,
  onSubmit,
  onCancel,
}: {
  widgets: Widget[];
  onSubmit: (body: CreateChannelBody) => Promise<void>;
  onCancel: () => void;
}) {
  const [kind, setKind] = useState<ChannelKind>('telegram');
  const [name, setName] = useState('');
  const [widgetId, setWidgetId] = useState(widgets[0]?.id ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: CreateChannelBody = { kind, name: name.trim() || CHANNEL_LABELS[kind] || kind, widgetId };
    for (const need of NEEDS[kind]) {
      const v = values[need.key]?.trim();
      if (v) body[need.key] = v;
    }
    try {
      await onSubmit(body);
    } catch (err) {
      setError({ message: errorMessage(err), details: err instanceof ApiError ? err.details : [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-wide" onSubmit={submit} noValidate data-testid="channel-form">
      <FormError message={error?.message ?? null} details={error?.details} />
      <div className="field">
        <label className="field-label" htmlFor="channel-kind">
          Platform
        </label>
        <select
          id="channel-kind"
          className="input"
          value={kind}
          onChange={(e) => setKind(e.target.value as ChannelKind)}
          data-testid="channel-kind"
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {CHANNEL_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      <TextField
        label="Name"
        hint="How agents see it, e.g. “Support on Telegram”."
        value={name}
        maxLength={80}
        onChange={(e) => setName(e.target.value)}
        data-testid="channel-name"
      />
      <div className="field">
        <label className="field-label" htmlFor="channel-widget">
          Follows the widget
        </label>
        <select
          id="channel-widget"
          className="input"
          value={widgetId}
          onChange={(e) => setWidgetId(e.target.value)}
          data-testid="channel-widget"
        >
          {widgets.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </div>
      {NEEDS[kind].map((need) => (
        <TextField
          key={`${kind}-${need.key}`}
          label={need.label}
          hint={need.hint}
          type={need.key === 'address' ? 'email' : need.key === 'phoneNumberId' ? 'text' : 'password'}
          autoComplete="off"
          value={values[need.key] ?? ''}
          maxLength={need.key === 'address' ? 254 : 512}
          onChange={(e) => setValues({ ...values, [need.key]: e.target.value })}
          data-testid={`channel-${need.key}`}
        />
      ))}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || !widgetId}
          data-testid="channel-save"
        >
          {busy ? 'Connecting…' : 'Connect'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
