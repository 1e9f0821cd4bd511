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

/**
 * One step of a flow as a small form; buttons are edited as "label -> next step" lines. Every field
 * has a visible label; the control also carries it as its name, so the name stays the label alone
 * (a wrapping label would otherwise add the control's own value to it).
 */
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
      <label className="flow-field">
        <span className="flow-field-label">Step id</span>
        <input
          aria-label="Step id"
          className="input"
          value={step.id}
          onChange={(e) => onChange({ ...step, id: e.target.value })}
        />
      </label>
      <label className="flow-field">
        <span className="flow-field-label">Kind</span>
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
      </label>
      {'text' in step && step.kind !== 'handoff' && (
        <label className="flow-field">
          <span className="flow-field-label">Text</span>
          <textarea
            aria-label="Text"
            className="input"
            value={step.text}
            onChange={(e) => text(e.target.value)}
          />
        </label>
      )}
      {step.kind === 'handoff' && (
        <>
          <label className="flow-field">
            <span className="flow-field-label">Text before handing off</span>
            <input
              aria-label="Text before handing off"
              className="input"
              value={step.text ?? ''}
              onChange={(e) => onChange({ ...step, text: e.target.value || undefined })}
            />
          </label>
          <label className="flow-field">
            <span className="flow-field-label">Team id</span>
            <input
              aria-label="Team id"
              className="input"
              value={step.teamId ?? ''}
              onChange={(e) => onChange({ ...step, teamId: e.target.value || undefined })}
            />
          </label>
        </>
      )}
      {step.kind === 'checkpoint' && (
        <label className="flow-field">
          <span className="flow-field-label">Checkpoint name</span>
          <input
            aria-label="Checkpoint name"
            className="input"
            value={step.name}
            onChange={(e) => onChange({ ...step, name: e.target.value })}
          />
        </label>
      )}
      {step.kind === 'ask' && (
        <>
          <label className="flow-field">
            <span className="flow-field-label">Attribute</span>
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
          </label>
          <label className="flow-field">
            <span className="flow-field-label">Stored as field</span>
            <input
              aria-label="Stored as field"
              className="input"
              value={step.field ?? ''}
              onChange={(e) => onChange({ ...step, field: e.target.value || undefined })}
            />
          </label>
        </>
      )}
      {step.kind === 'buttons' && <ButtonLines key={step.id} step={step} onChange={onChange} />}
      {(step.kind === 'message' || step.kind === 'ask' || step.kind === 'checkpoint') && (
        <label className="flow-field">
          <span className="flow-field-label">Next step id</span>
          <input
            aria-label="Next step id"
            className="input"
            value={step.next ?? ''}
            onChange={(e) => next(e.target.value)}
          />
        </label>
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
    <label className="flow-field">
      <span className="flow-field-label">Buttons, one per line: label {'->'} next step id</span>
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
    </label>
  );
}
