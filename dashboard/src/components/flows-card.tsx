import { useCallback, useEffect, useState } from 'react';
import type { Flow, FlowBody, FlowStep } from '../../../protocol/flows.js';
import { errorMessage } from '../api.js';
import { flowsApi } from '../flows-api.js';
import { useSession } from '../lib/session-context.js';
import { FlowStepEditor } from './flow-step-editor.js';

const EMPTY: FlowBody = {
  name: '',
  trigger: 'first_message',
  definition: { start: 'start', steps: [{ id: 'start', kind: 'message', text: 'Hello!' }] },
};

/** A widget's bot flows: the list, and a form-based editor for one flow's steps (administrators). */
export function FlowsCard({ widgetId }: { widgetId: string }) {
  const { me } = useSession();
  const ws = me.workspace.id;
  const [flows, setFlows] = useState<Flow[]>([]);
  const [editing, setEditing] = useState<{ id: string | null; body: FlowBody } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    () =>
      flowsApi.list(ws, widgetId).then(
        (r) => setFlows(r.items),
        (e) => setError(errorMessage(e)),
      ),
    [ws, widgetId],
  );
  useEffect(() => void load(), [load]);

  const save = async () => {
    if (!editing) return;
    setError(null);
    try {
      if (editing.id) await flowsApi.update(ws, widgetId, editing.id, editing.body);
      else await flowsApi.create(ws, widgetId, editing.body);
      setEditing(null);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const setBody = (patch: Partial<FlowBody>) =>
    editing && setEditing({ ...editing, body: { ...editing.body, ...patch } });
  const setSteps = (steps: FlowStep[]) =>
    editing && setBody({ definition: { ...editing.body.definition, steps } });

  return (
    <section className="card" aria-labelledby="flows-title" data-testid="flows-card">
      <h2 id="flows-title" className="card-title">
        Bot flows
      </h2>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <ul>
        {flows.map((f) => (
          <li key={f.id}>
            <strong>{f.name}</strong> ({f.trigger.replace('_', ' ')}, version {f.version},{' '}
            {f.definition.steps.length} steps){' '}
            <button
              type="button"
              className="button button-small"
              onClick={() =>
                setEditing({
                  id: f.id,
                  body: {
                    name: f.name,
                    trigger: f.trigger,
                    ...(f.label ? { label: f.label } : {}),
                    definition: f.definition,
                  },
                })
              }
            >
              Edit
            </button>{' '}
            <button
              type="button"
              className="button button-small button-danger"
              onClick={() =>
                void flowsApi.remove(ws, widgetId, f.id).then(load, (e) => setError(errorMessage(e)))
              }
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      {!editing && (
        <button
          type="button"
          className="button"
          onClick={() => setEditing({ id: null, body: structuredClone(EMPTY) })}
        >
          New flow
        </button>
      )}
      {editing && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          className="settings-form flow-editor"
          data-testid="flow-editor"
        >
          <label className="field-label" htmlFor="flow-name">
            Name
          </label>
          <input
            id="flow-name"
            className="input"
            required
            value={editing.body.name}
            onChange={(e) => setBody({ name: e.target.value })}
          />
          <label className="field-label" htmlFor="flow-trigger">
            Starts
          </label>
          <select
            id="flow-trigger"
            value={editing.body.trigger}
            onChange={(e) => setBody({ trigger: e.target.value as FlowBody['trigger'] })}
          >
            <option value="first_message">on the visitor’s first message</option>
            <option value="quick_reply">from a button under the greeting</option>
            <option value="off">never (draft)</option>
          </select>
          <label className="field-label" htmlFor="flow-start">
            First step id
          </label>
          <input
            id="flow-start"
            className="input"
            value={editing.body.definition.start}
            onChange={(e) => setBody({ definition: { ...editing.body.definition, start: e.target.value } })}
          />
          {editing.body.definition.steps.map((step, i) => (
            <FlowStepEditor
              // biome-ignore lint/suspicious/noArrayIndexKey: the editor keeps no state, and step ids change while typed
              key={`${i}-${step.kind}`}
              step={step}
              onChange={(next) => setSteps(editing.body.definition.steps.map((s, j) => (j === i ? next : s)))}
              onRemove={() => setSteps(editing.body.definition.steps.filter((_, j) => j !== i))}
            />
          ))}
          <button
            type="button"
            className="button"
            onClick={() =>
              setSteps([
                ...editing.body.definition.steps,
                { id: `step${editing.body.definition.steps.length + 1}`, kind: 'message', text: 'Text' },
              ])
            }
          >
            Add step
          </button>{' '}
          <button type="submit" className="button button-primary">
            Save flow
          </button>{' '}
          <button type="button" className="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </form>
      )}
    </section>
  );
}
