import { type FormEvent, useState } from 'react';
import type { RetentionBody, RetentionSettings } from '../../../protocol/data-protection.js';
import { LIMITS } from '../../../protocol/limits.js';
import { ApiError, errorMessage } from '../api.js';
import { FormError, focusFirstInvalid, TextField } from './field.js';

const UNITS = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;
type Unit = keyof typeof UNITS;

function splitSeconds(seconds: number | null): { value: string; unit: Unit } {
  if (seconds === null) return { value: '30', unit: 'days' };
  const unit = (['days', 'hours', 'minutes'] as const).find((u) => seconds % UNITS[u] === 0) ?? 'seconds';
  return { value: String(seconds / UNITS[unit]), unit };
}

/** The retention rules of one widget, for administrators. The server checks them again. */
export function RetentionForm({
  initial,
  onSave,
}: {
  initial: RetentionSettings;
  onSave: (body: RetentionBody) => Promise<void>;
}) {
  const ttl = splitSeconds(initial.visitorDataTtlSeconds);
  const [ttlOn, setTtlOn] = useState(initial.visitorDataTtlSeconds !== null);
  const [ttlValue, setTtlValue] = useState(ttl.value);
  const [ttlUnit, setTtlUnit] = useState<Unit>(ttl.unit);
  const [historyOn, setHistoryOn] = useState(initial.historyHours !== null);
  const [historyHours, setHistoryHours] = useState(
    String(initial.historyHours ?? Math.max(initial.minHistoryHours, 720)),
  );
  const [inactivityDays, setInactivityDays] = useState(String(initial.inactivityDays));
  const [archive, setArchive] = useState(initial.archiveInactive);
  const [storageOff, setStorageOff] = useState(initial.storageOff);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);

  const ttlSeconds = Number(ttlValue) * UNITS[ttlUnit];
  const ttlError =
    submitted &&
    ttlOn &&
    !(
      Number.isInteger(ttlSeconds) &&
      ttlSeconds >= LIMITS.minVisitorDataTtlSeconds &&
      ttlSeconds <= LIMITS.maxVisitorDataTtlSeconds
    )
      ? `Between ${LIMITS.minVisitorDataTtlSeconds} seconds and 365 days.`
      : null;
  const hours = Number(historyHours);
  const historyError =
    submitted &&
    historyOn &&
    !(Number.isInteger(hours) && hours >= initial.minHistoryHours && hours <= LIMITS.maxHistoryHours)
      ? `At least ${initial.minHistoryHours} hours.${initial.minHistoryReason ? ` ${initial.minHistoryReason}` : ''}`
      : null;
  const days = Number(inactivityDays);
  const daysError =
    submitted && !(Number.isInteger(days) && days >= 1 && days <= 365) ? 'From 1 to 365 days.' : null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    setSaved(false);
    const ttlOk =
      !ttlOn ||
      (Number.isInteger(ttlSeconds) &&
        ttlSeconds >= LIMITS.minVisitorDataTtlSeconds &&
        ttlSeconds <= LIMITS.maxVisitorDataTtlSeconds);
    const historyOk =
      !historyOn ||
      (Number.isInteger(hours) && hours >= initial.minHistoryHours && hours <= LIMITS.maxHistoryHours);
    if (!ttlOk || !historyOk || !(Number.isInteger(days) && days >= 1 && days <= 365)) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSave({
        visitorDataTtlSeconds: ttlOn ? ttlSeconds : null,
        historyHours: historyOn ? hours : null,
        inactivityDays: days,
        archiveInactive: archive,
        storageOff,
      });
      setSaved(true);
    } catch (e) {
      setError({ message: errorMessage(e), details: e instanceof ApiError ? e.details : [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form-wide retention-form" onSubmit={submit} noValidate data-testid="retention-form">
      <FormError message={error?.message ?? null} details={error?.details} />
      {saved && (
        <div className="notice notice-success" role="status">
          Retention rules saved. The scheduler applies them at its next run.
        </div>
      )}
      <fieldset className="fieldset">
        <legend className="field-label">Visitor data</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={ttlOn}
            onChange={(e) => setTtlOn(e.target.checked)}
            data-testid="retention-ttl-on"
          />
          Delete the name, email, phone, custom fields and verified user id of a visitor after
        </label>
        {ttlOn && (
          <div className="inline-fields">
            <TextField
              label="Time"
              type="number"
              min={1}
              value={ttlValue}
              onChange={(e) => setTtlValue(e.target.value)}
              error={ttlError}
              data-testid="retention-ttl"
            />
            <label className="field">
              <span className="field-label">Unit</span>
              <select
                className="input"
                value={ttlUnit}
                onChange={(e) => setTtlUnit(e.target.value as Unit)}
                data-testid="retention-ttl-unit"
              >
                {Object.keys(UNITS).map((u) => (
                  <option key={u} value={u}>
                    {u}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        <p className="field-hint">
          The bot can use the data until then. Counted from when the first field was given (for the verified
          user id, from the visitor's last verified visit); copies flows took go with it.
        </p>
      </fieldset>
      <fieldset className="fieldset">
        <legend className="field-label">History</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={historyOn}
            onChange={(e) => setHistoryOn(e.target.checked)}
            data-testid="retention-history-on"
          />
          Delete messages, notes, pages and handoff notes older than a number of hours
        </label>
        {historyOn && (
          <TextField
            label="Hours"
            type="number"
            min={initial.minHistoryHours}
            value={historyHours}
            onChange={(e) => setHistoryHours(e.target.value)}
            error={historyError}
            hint={
              initial.minHistoryReason
                ? `At least ${initial.minHistoryHours} hours: ${initial.minHistoryReason}`
                : undefined
            }
            data-testid="retention-history"
          />
        )}
      </fieldset>
      <fieldset className="fieldset">
        <legend className="field-label">Inactive conversations</legend>
        <TextField
          label="Days without a message"
          type="number"
          min={1}
          max={365}
          value={inactivityDays}
          onChange={(e) => setInactivityDays(e.target.value)}
          error={daysError}
          hint="From 1 to 365 days."
          data-testid="retention-inactivity"
        />
        <label className="check">
          <input
            type="radio"
            name="inactive"
            checked={archive}
            onChange={() => setArchive(true)}
            data-testid="retention-archive"
          />
          Move them to the archive (encrypted; administrators can read and export it)
        </label>
        <label className="check">
          <input
            type="radio"
            name="inactive"
            checked={!archive}
            onChange={() => setArchive(false)}
            data-testid="retention-delete"
          />
          Delete them
        </label>
      </fieldset>
      <fieldset className="fieldset">
        <legend className="field-label">Storage</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={storageOff}
            onChange={(e) => setStorageOff(e.target.checked)}
            data-testid="retention-storage-off"
          />
          Keep no conversation content once a conversation is closed, and no visitor data once none is open
        </label>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="retention-save">
          {busy ? 'Saving…' : 'Save retention rules'}
        </button>
      </div>
    </form>
  );
}
