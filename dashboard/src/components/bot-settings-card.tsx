import { type FormEvent, useEffect, useState } from 'react';
import type { BusinessHours } from '../../../protocol/flows.js';
import { errorMessage } from '../api.js';
import { flowsApi } from '../flows-api.js';
import { useSession } from '../lib/session-context.js';
import { SecretBox } from './secret-box.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** External bot webhook and business hours of a widget (administrators). */
export function BotSettingsCard({ widgetId }: { widgetId: string }) {
  const { me } = useSession();
  const ws = me.workspace.id;
  const [url, setUrl] = useState('');
  const [enabled, setEnabled] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [hours, setHours] = useState<BusinessHours | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    flowsApi.externalBot(ws, widgetId).then(
      (s) => {
        setUrl(s.url ?? '');
        setEnabled(s.enabled);
      },
      (e) => setError(errorMessage(e)),
    );
    flowsApi.hours(ws, widgetId).then(setHours, (e) => setError(errorMessage(e)));
  }, [ws, widgetId]);

  const run = async (action: () => Promise<string>) => {
    setError(null);
    setMessage(null);
    try {
      setMessage(await action());
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const saveBot = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const saved = await flowsApi.saveExternalBot(ws, widgetId, { enabled, url: url.trim() || null });
      if (saved.secret) setSecret(saved.secret);
      return 'External bot saved.';
    });
  };
  const range = (day: number) => hours?.weekly.find((r) => r.day === day);
  const setRange = (day: number, open: string, close: string) =>
    hours &&
    setHours({
      ...hours,
      weekly: [
        ...hours.weekly.filter((r) => r.day !== day),
        ...(open && close ? [{ day, open, close }] : []),
      ],
    });
  const saveHours = (e: FormEvent) => {
    e.preventDefault();
    if (!hours) return;
    void run(async () => {
      await flowsApi.saveHours(ws, widgetId, hours);
      return 'Business hours saved.';
    });
  };

  return (
    <section className="card" aria-labelledby="bot-settings-title" data-testid="bot-settings">
      <h2 id="bot-settings-title" className="card-title">
        External bot and business hours
      </h2>
      {message && <p role="status">{message}</p>}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <form onSubmit={saveBot} className="settings-form">
        <label className="field-label" htmlFor="external-bot-url">
          Webhook URL (https)
        </label>
        <input id="external-bot-url" className="input" value={url} onChange={(e) => setUrl(e.target.value)} />
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Let this
          bot answer visitors (failures go to a person)
        </label>
        <div className="form-actions">
          <button type="submit" className="button">
            Save external bot
          </button>
          <button
            type="button"
            className="button"
            onClick={() =>
              void run(async () => {
                setSecret((await flowsApi.rotateSecret(ws, widgetId)).secret);
                return 'New signing secret: requests are signed with it from now on.';
              })
            }
          >
            New signing secret
          </button>
        </div>
      </form>
      {secret && (
        <SecretBox label="Signing secret (shown once)" value={secret} testId="external-bot-secret" />
      )}
      {hours && (
        <form onSubmit={saveHours} className="settings-form" data-testid="business-hours">
          <label>
            <input
              type="checkbox"
              checked={hours.enabled}
              onChange={(e) => setHours({ ...hours, enabled: e.target.checked })}
            />{' '}
            Use business hours
          </label>
          <label className="field-label" htmlFor="hours-tz">
            Time zone (IANA, e.g. Europe/Berlin)
          </label>
          <input
            id="hours-tz"
            className="input"
            value={hours.timeZone}
            onChange={(e) => setHours({ ...hours, timeZone: e.target.value })}
          />
          <fieldset className="hours-week">
            <legend className="field-label">Opening hours (a day left empty is closed)</legend>
            <div className="hours-row hours-head" aria-hidden="true">
              <span>Day</span>
              <span>Opens</span>
              <span>Closes</span>
            </div>
            {DAYS.map((name, day) => (
              <div key={name} className="hours-row">
                <span className="hours-day">{name}</span>
                <input
                  type="time"
                  aria-label={`${name} opens`}
                  value={range(day)?.open ?? ''}
                  onChange={(e) => setRange(day, e.target.value, range(day)?.close ?? '17:00')}
                />
                <input
                  type="time"
                  aria-label={`${name} closes`}
                  value={range(day)?.close ?? ''}
                  onChange={(e) => setRange(day, range(day)?.open ?? '09:00', e.target.value)}
                />
              </div>
            ))}
          </fieldset>
          <label className="field-label" htmlFor="hours-holidays">
            Holidays (YYYY-MM-DD, comma-separated)
          </label>
          <input
            id="hours-holidays"
            className="input"
            value={hours.holidays.join(', ')}
            onChange={(e) =>
              setHours({
                ...hours,
                holidays: e.target.value
                  .split(',')
                  .map((h) => h.trim())
                  .filter(Boolean),
              })
            }
          />
          <button type="submit" className="button">
            Save business hours
          </button>
        </form>
      )}
    </section>
  );
}
