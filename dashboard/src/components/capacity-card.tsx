import { SERVICE_LIMITS, type ServiceAgent } from '../../../protocol/service.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { CapacityRow } from './capacity-row.js';

/** How many queries Parley assigns each agent at once (0: they pick from the queue themselves). */
export function CapacityCard({
  workspaceId,
  agents,
  onChanged,
}: {
  workspaceId: string;
  agents: ServiceAgent[];
  onChanged: () => void;
}) {
  return (
    <section className="card" aria-labelledby="capacity-title" data-testid="capacity-card">
      <h2 className="card-title" id="capacity-title">
        Capacity
      </h2>
      <p className="muted">
        The most open queries Parley assigns an online agent at once (0 to {SERVICE_LIMITS.maxCapacity}). With
        0 nothing is assigned automatically; the agent still takes queries from the queue.
      </p>
      <div className="table-scroll" {...scrollableRegion('Agent capacity table')}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Presence</th>
              <th scope="col">Open now</th>
              <th scope="col">Most at once</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <CapacityRow key={a.id} workspaceId={workspaceId} agent={a} onChanged={onChanged} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
