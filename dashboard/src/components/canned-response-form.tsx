import { type FormEvent, useState } from 'react';
import { DEFAULT_NAME_FALLBACK } from '../../../protocol/canned-fill.js';
import {
  CANNED_VARIABLES,
  type CannedResponse,
  type CannedResponseBody,
  SERVICE_LIMITS,
} from '../../../protocol/service.js';
import { useAction } from '../hooks/use-action.js';
import { FormError, TextAreaField, TextField } from './field.js';

/** The variables a body may use, as the server accepts them; a click puts one into the body. */
function VariableHint({ onInsert }: { onInsert: (name: string) => void }) {
  return (
    <div className="canned-variables" data-testid="canned-variables">
      <span>Variables, filled in when an agent uses the response:</span>
      <ul>
        {CANNED_VARIABLES.map((v) => (
          <li key={v.name}>
            <button type="button" className="link-button" onClick={() => onInsert(`{${v.name}}`)}>
              <code>{`{${v.name}}`}</code>
            </button>{' '}
            {v.description}
          </li>
        ))}
      </ul>
    </div>
  );
}

const NAME_VARIABLE = /\{visitor\.name(?:\|([^{}|]{0,40}))?\}/g;

/** The fallback a body's `{visitor.name|…}` already has. */
function fallbackOf(body: string): string {
  for (const m of body.matchAll(NAME_VARIABLE)) if (m[1] !== undefined) return m[1];
  return DEFAULT_NAME_FALLBACK;
}

/** Every `{visitor.name}` in the body carries the fallback: what the customer reads without a name. */
function withFallback(body: string, fallback: string): string {
  const f = fallback.replace(/[{}|]/g, '').trim();
  return body.replace(NAME_VARIABLE, f ? `{visitor.name|${f}}` : '{visitor.name}');
}

/** Create or edit one canned response: "/shortcut" in the reply box inserts its body. */
export function CannedResponseForm({
  response,
  onSave,
  onCancel,
}: {
  response: CannedResponse | null;
  onSave: (body: CannedResponseBody) => Promise<unknown>;
  onCancel: () => void;
}) {
  const [shortcut, setShortcut] = useState(response?.shortcut ?? '');
  const [title, setTitle] = useState(response?.title ?? '');
  const [body, setBody] = useState(response?.body ?? '');
  const [fallback, setFallback] = useState(() => fallbackOf(response?.body ?? ''));
  const usesName = /\{visitor\.name[|}]/.test(body);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = usesName ? withFallback(body, fallback) : body;
    await action.run(() => onSave({ shortcut: shortcut.trim(), title: title.trim(), body: text }));
  };
  return (
    <form
      className="card canned-form"
      onSubmit={submit}
      aria-label={response ? 'Edit canned response' : 'New canned response'}
    >
      <TextField
        label="Shortcut"
        hint="Typed after / in the reply box: lowercase letters, digits, - and _"
        required
        pattern="[a-z0-9][a-z0-9_\-]*"
        maxLength={SERVICE_LIMITS.maxShortcutChars}
        value={shortcut}
        onChange={(e) => setShortcut(e.target.value)}
        data-testid="canned-shortcut"
      />
      <TextField
        label="Title"
        required
        maxLength={SERVICE_LIMITS.maxNameChars}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        data-testid="canned-title"
      />
      <TextAreaField
        label="Text"
        required
        rows={4}
        maxLength={SERVICE_LIMITS.maxCannedBodyChars}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        data-testid="canned-body"
      />
      <VariableHint onInsert={(v) => setBody((b) => `${b}${v}`)} />
      {usesName && (
        <TextField
          label="When the visitor's name is unknown, write"
          hint="Visitors who gave no name are greeted with this instead of a made-up name, e.g. “Hi there”"
          maxLength={40}
          value={fallback}
          onChange={(e) => setFallback(e.target.value)}
          data-testid="canned-name-fallback"
        />
      )}
      <FormError message={action.error?.message ?? null} details={action.error?.details} />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy}
          data-testid="canned-save"
        >
          {action.busy ? 'Saving…' : 'Save response'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
