import { useId } from 'react';
import type { Label } from '../../../protocol/labels.js';
import { can } from '../../../protocol/permissions.js';
import { useAction } from '../hooks/use-action.js';
import { labelsChanged, useConversationLabels, useLabels } from '../hooks/use-labels.js';
import { labelsApi } from '../labels-api.js';
import { useSession } from '../lib/session-context.js';
import { LabelChip } from './label-chip.js';

/** The conversation header's labels: shown to everyone who sees it, changed by those who may reply. */
export function ConversationLabels({ conversationId }: { conversationId: string }) {
  const { me } = useSession();
  const wid = me.workspace.id;
  const labels = useLabels();
  const ids = useConversationLabels([conversationId])[conversationId] ?? [];
  const action = useAction();
  const selectId = useId();
  const editable = can(me.role, 'conversations.reply');
  const on = ids.map((id) => labels.find((l) => l.id === id)).filter((l): l is Label => !!l);
  const off = labels.filter((l) => !ids.includes(l.id));
  const change = async (labelId: string, add: boolean) => {
    const ok = await action.run(() =>
      add ? labelsApi.add(wid, conversationId, labelId) : labelsApi.take(wid, conversationId, labelId),
    );
    if (ok) labelsChanged();
  };
  if (labels.length === 0 && on.length === 0) return null;
  return (
    <div className="conversation-labels" data-testid="conversation-labels">
      {on.map((l) => (
        <LabelChip key={l.id} label={l} {...(editable ? { onRemove: () => void change(l.id, false) } : {})} />
      ))}
      {editable && off.length > 0 && (
        <>
          <label className="visually-hidden" htmlFor={selectId}>
            Add a label
          </label>
          <select
            id={selectId}
            className="input input-small label-add"
            value=""
            disabled={action.busy}
            onChange={(e) => e.target.value && void change(e.target.value, true)}
            data-testid="label-add"
          >
            <option value="">+ Label</option>
            {off.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </>
      )}
      {action.error && (
        <span className="field-error" role="alert">
          {action.error.message}
        </span>
      )}
    </div>
  );
}
