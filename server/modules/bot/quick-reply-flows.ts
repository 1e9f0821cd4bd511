import type { Language } from '../../../protocol/languages.js';
import type { MessageAction } from '../../../protocol/structured.js';
import { STRUCTURED_LIMITS } from '../../../protocol/structured.js';
import type { Executor } from '../../platform/db/schema.js';
import { findFlows } from './flow.repository.js';
import { flowAction } from './flow-actions.js';

/** The buttons that start the widget's quick-reply flows (as many as a message can carry). */
export async function quickReplyFlows(
  db: Executor,
  widget: { id: string; workspace_id: string },
  /** The conversation's language: each button's label in it, when the flow gives one. */
  language: Language | null = null,
): Promise<MessageAction[]> {
  const flows = await findFlows(db, widget.workspace_id, widget.id);
  return flows
    .filter((f) => f.trigger === 'quick_reply')
    .slice(0, STRUCTURED_LIMITS.maxActions)
    .map((f) => flowAction(f, language));
}
