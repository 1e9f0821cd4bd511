import { type FormEvent, useState } from 'react';
import { SERVICE_LIMITS, type ServiceAgent } from '../../../protocol/service.js';
import { useAction } from '../hooks/use-action.js';
import { ROLE_LABEL } from '../lib/roles.js';
import { serviceSettingsApi } from '../service-api.js';

const PRESENCE_LABEL = { online: 'Online', away: 'Away', offline: 'Offline' } as const;

/** One agent's load and the most queries Parley assigns them at once. */
export function CapacityRow({
  workspaceId,
  agent,
  onChanged,
}: {
  workspaceId: string;
  agent: ServiceAgent;
  onChanged: () => void;
}) {
  const [value, setValue] = useState(String(agent.capacity));
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const inputId = `capacity-${agent.id}`;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => serviceSettingsApi.setCapacity(workspaceId, agent.id, Number(value)))) {
      setSaved(true);
      onChanged();
    }
  };
  return (
    <tr data-testid="capacity-row" data-name={agent.name}>
      <td>
        <span className="member-name">{agent.name}</span>
        <div className="muted">{ROLE_LABEL[agent.role as keyof typeof ROLE_LABEL] ?? agent.role}</div>
      </td>
      <td>{PRESENCE_LABEL[agent.presence]}</td>
      <td>{agent.active}</td>
      <td>
        <form className="capacity-form" onSubmit={save}>
          <label className="visually-hidden" htmlFor={inputId}>
            Most queries at once for {agent.name}
          </label>
          <input
            id={inputId}
            className="input capacity-input"
            type="number"
            min={0}
            max={SERVICE_LIMITS.maxCapacity}
            step={1}
            required
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setSaved(false);
            }}
            data-testid="capacity-input"
          />
          <button
            type="submit"
            className="button button-small"
            disabled={action.busy || value === String(agent.capacity)}
            data-testid="capacity-save"
          >
            Save
          </button>
          {saved && (
            <span className="muted" role="status">
              Saved
            </span>
          )}
          {action.error && (
            <span className="field-error" role="alert">
              {action.error.message}
            </span>
          )}
        </form>
      </td>
    </tr>
  );
}
