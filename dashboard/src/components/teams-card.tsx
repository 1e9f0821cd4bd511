import { type FormEvent, useState } from 'react';
import { SERVICE_LIMITS, type ServiceAgent, type Team } from '../../../protocol/service.js';
import { useAction } from '../hooks/use-action.js';
import { serviceSettingsApi } from '../service-api.js';
import { FormError, TextField } from './field.js';
import { TeamEditor } from './team-editor.js';

/** Teams: who answers which queue. A widget's handoffs go to the team chosen under Widget routing. */
export function TeamsCard({
  workspaceId,
  teams,
  agents,
  onChanged,
}: {
  workspaceId: string;
  teams: Team[];
  agents: ServiceAgent[];
  onChanged: () => void;
}) {
  const [name, setName] = useState('');
  const action = useAction();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => serviceSettingsApi.createTeam(workspaceId, name.trim()))) {
      setName('');
      onChanged();
    }
  };
  return (
    <section className="card" aria-labelledby="teams-title" data-testid="teams-card">
      <h2 className="card-title" id="teams-title">
        Teams
      </h2>
      <p className="muted">
        Queries from a widget routed to a team are offered to its members only. Without a team, any agent may
        take them.
      </p>
      {teams.length === 0 && <p className="muted">No teams yet.</p>}
      {teams.map((t) => (
        <TeamEditor key={t.id} workspaceId={workspaceId} team={t} agents={agents} onChanged={onChanged} />
      ))}
      <form className="service-inline-form" onSubmit={add} aria-label="Add a team">
        <TextField
          label="New team"
          required
          maxLength={SERVICE_LIMITS.maxNameChars}
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="team-new-name"
        />
        <button type="submit" className="button button-primary" disabled={action.busy} data-testid="team-add">
          Add team
        </button>
      </form>
      <FormError message={action.error?.message ?? null} details={action.error?.details} />
    </section>
  );
}
