import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { ProactiveRule, ProactiveRuleBody } from '../../../protocol/proactive.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { findProactive, presentProactive, updateProactive } from './proactive.js';
import { requireWidget } from './require-widget.js';

const WidgetParams = Type.Object({ workspaceId: Id, widgetId: Id });

/** A widget's proactive message rule, set by administrators; the loader gets it with the launcher. */
export async function proactiveRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId/widgets/:widgetId/proactive';

  app.get(
    base,
    {
      schema: { params: WidgetParams, response: { 200: ProactiveRule } },
      config: { access: { kind: 'member', permission: 'widgets.read' } },
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      await requireWidget(app.db, workspaceId, widgetId);
      return presentProactive(widgetId, await findProactive(app.db, widgetId));
    },
  );

  app.put(
    base,
    {
      schema: { params: WidgetParams, body: ProactiveRuleBody, response: { 200: ProactiveRule } },
      config: { access: { kind: 'member', permission: 'widgets.manage' } },
    },
    async (request) => {
      const { workspaceId, widgetId } = request.params;
      const rule = await updateProactive({ db: app.db, workspaceId, widgetId, body: request.body });
      const agent = request.agent;
      if (!agent) throw new AppError('unauthenticated');
      // What visitors are shown unasked is a setting like any other: on record.
      await recordAuditEvent(
        app.db,
        {
          workspaceId: agent.workspaceId,
          actor: { type: 'user', id: agent.userId },
          action: 'widget.proactive_updated',
          target: { type: 'widget', id: widgetId },
          ip: request.ip,
          details: {},
        },
        request.log,
      );
      return rule;
    },
  );
}
