import type { BusinessHours } from '../../../protocol/flows.js';
import type { Executor } from '../../platform/db/schema.js';
import { checkBusinessHours } from './business-hours.js';
import { findBotSettings } from './flow.repository.js';

/**
 * Whether the widget's team is within its business hours at `now` (a widget without hours always
 * is). The handoff asks before it gives a query to someone automatically: outside hours the
 * visitor is told when the team answers, so nobody is assigned until then (docs/PROTOCOL.md).
 */
export async function isWithinBusinessHours(db: Executor, widgetId: string, now: number): Promise<boolean> {
  const settings = await findBotSettings(db, widgetId);
  const hours = settings?.business_hours ? (JSON.parse(settings.business_hours) as BusinessHours) : null;
  return checkBusinessHours(hours, now).open;
}
