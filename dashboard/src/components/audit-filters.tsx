import { type FormEvent, useId, useState } from 'react';
import type { Member } from '../../../protocol/users-api.js';
import { type AuditFilter, EMPTY_FILTER, KNOWN_ACTIONS } from '../lib/audit-filter.js';
import { TextField } from './field.js';
import { SelectField } from './select-field.js';

/** The audit log's filters; applied on submit so typing does not fire a query per key. */
export function AuditFilters({
  members,
  onApply,
}: {
  members: readonly Member[];
  onApply: (filter: AuditFilter) => void;
}) {
  const [draft, setDraft] = useState<AuditFilter>(EMPTY_FILTER);
  const listId = useId();
  const edit = (key: keyof AuditFilter) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const people = [
    { value: '', label: 'Anyone' },
    ...members.map((m) => ({ value: m.id, label: `${m.name} (${m.email})` })),
  ];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const clear = () => {
    setDraft(EMPTY_FILTER);
    onApply(EMPTY_FILTER);
  };

  return (
    <form className="filters" onSubmit={onSubmit} aria-label="Filter the audit log">
      <TextField
        label="Action"
        list={listId}
        maxLength={80}
        placeholder="e.g. user.role.changed"
        value={draft.action}
        onChange={edit('action')}
        data-testid="audit-action"
      />
      <datalist id={listId}>
        {KNOWN_ACTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <SelectField
        label="Actor"
        options={people}
        value={draft.actorId}
        onChange={edit('actorId')}
        data-testid="audit-actor"
      />
      <SelectField
        label="Target"
        options={people}
        value={draft.targetId}
        onChange={edit('targetId')}
        data-testid="audit-target"
      />
      <TextField
        label="From"
        type="date"
        value={draft.from}
        onChange={edit('from')}
        data-testid="audit-from"
      />
      <TextField label="To" type="date" value={draft.to} onChange={edit('to')} data-testid="audit-to" />
      <div className="filters-actions">
        <button type="submit" className="button button-primary" data-testid="audit-apply">
          Apply
        </button>
        <button type="button" className="button button-quiet" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}
