import { type FormEvent, useState } from 'react';
import { SERVICE_LIMITS, type ServiceAgent, type Team } from '../../../protocol/service.js';
import { useAction } from '../hooks/use-action.js';
import { ROLE_LABEL } from '../lib/roles.js';
import { serviceSettingsApi } from '../service-api.js';
import { ConfirmButton } from './confirm-button.js';
import { FormError } from './field.js';

/**
 * One team: its name and its members. A query routed to a team is offered to its members only
 * (supervisors and administrators see every queue).
 */
export function TeamEditor({
  workspaceId,
  team,
  agents,
  onChanged,
}: {
  workspaceId: string;
  team: Team;
  agents: ServiceAgent[];
  onChanged: () => void;
}) {
  const [name, setName] = useState(team.name);
  const [members, setMembers] = useState<ReadonlySet<string>>(() => new Set(team.memberIds));
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();
  const dirtyMembers =
    members.size !== team.memberIds.length || team.memberIds.some((id) => !members.has(id));
  const dirtyName = name.trim() !== team.name;

  const toggle = (id: string, on: boolean) => {
    const next = new Set(members);
    if (on) next.add(id);
    else next.delete(id);
    setMembers(next);
    setSaved(null);
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(async () => {
      if (dirtyName) await serviceSettingsApi.renameTeam(workspaceId, team.id, name.trim());
      if (dirtyMembers) await serviceSettingsApi.setMembers(workspaceId, team.id, [...members]);
    });
    if (ok) {
      setSaved('Saved.');
      onChanged();
    }
  };
  const remove = async () => {
    if (await action.run(() => serviceSettingsApi.deleteTeam(workspaceId, team.id))) onChanged();
  };

  return (
    <form className="team-editor" onSubmit={save} aria-label={`Team ${team.name}`} data-testid="team">
      <div className="team-editor-head">
        <label className="visually-hidden" htmlFor={`team-name-${team.id}`}>
          Team name
        </label>
        <input
          id={`team-name-${team.id}`}
          className="input"
          required
          maxLength={SERVICE_LIMITS.maxNameChars}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setSaved(null);
          }}
          data-testid="team-name"
        />
        <ConfirmButton
          label="Delete team"
          question="Delete this team? Its queue joins everyone's."
          detail={team.name}
          confirmLabel="Delete"
          busy={action.busy}
          onConfirm={() => void remove()}
          testId="team-delete"
        />
      </div>
      <fieldset className="team-members">
        <legend>Members</legend>
        {agents.length === 0 && (
          <p className="muted">Nobody to add yet: invite colleagues on the Team page.</p>
        )}
        {agents.map((a) => (
          <label key={a.id} className="checkbox">
            <input
              type="checkbox"
              checked={members.has(a.id)}
              onChange={(e) => toggle(a.id, e.target.checked)}
              data-testid="team-member"
              data-name={a.name}
            />
            {a.name}{' '}
            <span className="muted">({ROLE_LABEL[a.role as keyof typeof ROLE_LABEL] ?? a.role})</span>
          </label>
        ))}
      </fieldset>
      <div className="form-actions">
        <button
          type="submit"
          className="button button-small button-primary"
          disabled={action.busy || (!dirtyName && !dirtyMembers)}
          data-testid="team-save"
        >
          Save team
        </button>
        {saved && (
          <span className="muted" role="status">
            {saved}
          </span>
        )}
      </div>
      <FormError message={action.error?.message ?? null} details={action.error?.details} />
    </form>
  );
}
