import { AppError } from '../../errors.js';
import type { Executor, WidgetsTable } from '../../platform/db/schema.js';
import { findWidgetInWorkspace } from './widget.repository.js';

/**
 * The workspace's widget, or `widget_not_found`: another workspace's widget gets the same answer as
 * one that does not exist, so an id tells nobody what it belongs to.
 */
export async function requireWidget(
  db: Executor,
  workspaceId: string,
  widgetId: string,
): Promise<WidgetsTable> {
  const widget = await findWidgetInWorkspace(db, workspaceId, widgetId);
  if (!widget) throw new AppError('widget_not_found');
  return widget;
}
