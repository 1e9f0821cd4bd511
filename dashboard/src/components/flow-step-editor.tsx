import { useState } from 'react';
import type { FlowStep } from '../../../protocol/flows.js';

type Kind = FlowStep['kind'];

/** A step in a blank state of another kind, keeping its id (and text where it has one). */
function convert(step: FlowStep, kind: Kind): FlowStep {
  const text = 'text' in step && step.text ? step.text : 'Text';
  switch (kind) {
    case 'message':
      return { id: step.id, kind, text };
    case 'buttons':
      return { id: step.id, kind, text, buttons: [{ label: 'Yes' }] };
    case 'ask':
      return { id: step.id, kind, text, attribute: 'email' };
    case 'checkpoint':
      return { id: step.id, kind, name: 'reached' };
    case 'handoff':
      return { id: step.id, kind };
  }
}

/** One step of a flow as a small form; buttons are edited as "label -> next step" lines. */
export function FlowStepEditor({
  step,
  onChange,
  onRemove,
}: {
  step: FlowStep;
  onChange: (step: FlowStep) => void;
  onRemove: () => void;
}) {
  const text = (value: string) => onChange({ ...step, text: value } as FlowStep);
  const next = (value: string) => onChange({ ...step, next: value || undefined } as FlowStep);
  return (
    <fieldset className="flow-step" data-testid={`flow-step-${step.id}`}>
      <legend>Step {step.id}</legend>
      <input
        aria-label="Step id"
        className="input"
        value={step.id}
        onChange={(e) => onChange({ ...step, id: e.target.value })}
      />
      <select
        aria-label="Kind"
        value={step.kind}
        onChange={(e) => onChange(convert(step, e.target.value as Kind))}
      >
        <option value="message">Message</option>
        <option value="buttons">Buttons (branch)</option>
        <option value="ask">Ask for an attribute</option>
        <option value="checkpoint">Checkpoint</option>
        <option value="handoff">Hand off to a person</option>
      </select>
      {'text' in step && step.kind !== 'handoff' && (
        <textarea
          aria-label="Text"
          className="input"
          value={step.text}
          onChange={(e) => text(e.target.value)}
        />
      )}
      {step.kind === 'handoff' && (
        <>
          <input
            aria-label="Text before handing off"
            className="input"
            value={step.text ?? ''}
            onChange={(e) => onChange({ ...step, text: e.target.value || undefined })}
          />
          <input
            aria-label="Team id"
            className="input"
            value={step.teamId ?? ''}
            onChange={(e) => onChange({ ...step, teamId: e.target.value || undefined })}
          />
        </>
      )}
      {step.kind === 'checkpoint' && (
        <input
          aria-label="Checkpoint name"
          className="input"
          value={step.name}
          onChange={(e) => onChange({ ...step, name: e.target.value })}
        />
      )}
      {step.kind === 'ask' && (
        <>
          <select
            aria-label="Attribute"
            value={step.attribute}
            onChange={(e) => onChange({ ...step, attribute: e.target.value as typeof step.attribute })}
          >
            <option value="email">Email (a lead)</option>
            <option value="phone">Phone</option>
            <option value="order_number">Order number</option>
            <option value="text">Free text</option>
          </select>
          <input
            aria-label="Stored as field"
            className="input"
            value={step.field ?? ''}
            onChange={(e) => onChange({ ...step, field: e.target.value || undefined })}
          />
        </>
      )}
      {step.kind === 'buttons' && <ButtonLines key={step.id} step={step} onChange={onChange} />}
      {(step.kind === 'message' || step.kind === 'ask' || step.kind === 'checkpoint') && (
        <input
          aria-label="Next step id"
          className="input"
          value={step.next ?? ''}
          onChange={(e) => next(e.target.value)}
        />
      )}
      <button type="button" className="button button-small button-danger" onClick={onRemove}>
        Remove step
      </button>
    </fieldset>
  );
}

type ButtonsStep = Extract<FlowStep, { kind: 'buttons' }>;

const linesOf = (step: ButtonsStep) =>
  step.buttons.map((b) => (b.next ? `${b.label} -> ${b.next}` : b.label)).join('\n');

/**
 * The buttons as "label -> next step id" lines. The text typed is kept as typed (a new empty line,
 * a half-typed arrow) and parsed on every change; only the parsed buttons go into the flow.
 */
function ButtonLines({ step, onChange }: { step: ButtonsStep; onChange: (step: FlowStep) => void }) {
  const [draft, setDraft] = useState(() => linesOf(step));
  return (
    <textarea
      aria-label="Buttons, one per line: label -> next step id"
      className="input"
      value={draft}
      onChange={(e) => {
        setDraft(e.target.value);
        onChange({
          ...step,
          buttons: e.target.value
            .split('\n')
            .filter((l) => l.trim())
            .map((line) => {
              const [label = '', target] = line.split('->').map((p) => p.trim());
              return target ? { label, next: target } : { label };
            }),
        });
      }}
    />
  );
}
