import type { Widget } from '../../../protocol/api.js';
import type { ServiceAgent, Team } from '../../../protocol/service.js';
import { api } from '../api.js';
import { CannedResponsesCard } from '../components/canned-responses-card.js';
import { CapacityCard } from '../components/capacity-card.js';
import { LabelsCard } from '../components/labels-card.js';
import { LoadStatus } from '../components/load-status.js';
import { ResolutionCodesCard } from '../components/resolution-codes-card.js';
import { TeamsCard } from '../components/teams-card.js';
import { WidgetRoutingCard } from '../components/widget-routing-card.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { useSession } from '../lib/session-context.js';
import { serviceApi } from '../service-api.js';

interface ServiceData {
  teams: Team[];
  agents: ServiceAgent[];
  widgets: Widget[];
}

/**
 * Customer-service settings (service.manage: administrators and supervisors): teams and where each
 * widget's handoffs go, agent capacity, resolution codes and canned responses.
 */
export function ServiceSettingsScreen() {
  useTitle('Customer service');
  const { me, isAdmin } = useSession();
  const wid = me.workspace.id;
  const fetchAll = async (): Promise<ServiceData> => {
    const [teams, agents, widgets] = await Promise.all([
      serviceApi.teams(wid),
      serviceApi.agents(wid),
      api.listWidgets(wid),
    ]);
    return { teams: teams.items, agents: agents.items, widgets: widgets.items };
  };
  const { result, reload, set } = useLoad<ServiceData>(`service:${wid}`, fetchAll);
  // After a change the cards stay mounted (focus and typed values kept) while the new state loads.
  const refresh = () => void fetchAll().then(set, reload);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">Customer service</h1>
          <p className="page-intro">
            Who answers which queue, how much each agent takes on at once, and the codes and replies agents
            use.
          </p>
        </div>
      </div>
      <LoadStatus result={result} loading="Loading the service settings…" onRetry={reload} />
      {result.state === 'ready' && (
        <>
          <TeamsCard
            workspaceId={wid}
            teams={result.data.teams}
            agents={result.data.agents}
            onChanged={refresh}
          />
          <WidgetRoutingCard
            workspaceId={wid}
            widgets={result.data.widgets}
            teams={result.data.teams}
            canRoute={isAdmin}
            onChanged={refresh}
          />
          <CapacityCard workspaceId={wid} agents={result.data.agents} onChanged={refresh} />
        </>
      )}
      <ResolutionCodesCard workspaceId={wid} />
      <CannedResponsesCard workspaceId={wid} />
      {isAdmin && <LabelsCard workspaceId={wid} />}
    </div>
  );
}
