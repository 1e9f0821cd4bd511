import type { Widget } from '../../../protocol/api.js';
import type { Team } from '../../../protocol/service.js';
import { useAction } from '../hooks/use-action.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { serviceSettingsApi } from '../service-api.js';
import { FormError } from './field.js';

/** Which team each widget's handoffs queue for. Changing it needs widgets.manage (administrators). */
export function WidgetRoutingCard({
  workspaceId,
  widgets,
  teams,
  canRoute,
  onChanged,
}: {
  workspaceId: string;
  widgets: Widget[];
  teams: Team[];
  canRoute: boolean;
  onChanged: () => void;
}) {
  const action = useAction();
  const teamName = (id: string | null) => teams.find((t) => t.id === id)?.name ?? 'Anyone';
  const route = async (widgetId: string, teamId: string | null) => {
    if (await action.run(() => serviceSettingsApi.routeWidget(workspaceId, widgetId, teamId))) onChanged();
  };
  return (
    <section className="card" aria-labelledby="routing-title" data-testid="routing-card">
      <h2 className="card-title" id="routing-title">
        Widget routing
      </h2>
      <p className="muted">
        When a visitor on a widget asks for a person, the query waits in this team&apos;s queue.
        {!canRoute && ' Only administrators can change it.'}
      </p>
      {widgets.length === 0 ? (
        <p className="muted">No widgets yet.</p>
      ) : (
        <div className="table-scroll" {...scrollableRegion('Widget routing table')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Widget</th>
                <th scope="col">Handoffs go to</th>
              </tr>
            </thead>
            <tbody>
              {widgets.map((w) => (
                <tr key={w.id} data-testid="routing-row">
                  <td>{w.name}</td>
                  <td>
                    {canRoute ? (
                      <select
                        className="input select"
                        aria-label={`Team for ${w.name}`}
                        value={w.teamId ?? ''}
                        disabled={action.busy}
                        onChange={(e) => void route(w.id, e.target.value || null)}
                        data-testid="routing-team"
                      >
                        <option value="">Anyone</option>
                        {teams.map((t) => (
                          <option key={t.id} value={t.id}>
                            {t.name}
                          </option>
                        ))}
                      </select>
                    ) : (
                      teamName(w.teamId)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormError message={action.error?.message ?? null} details={action.error?.details} />
    </section>
  );
}
