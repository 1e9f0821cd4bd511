import { useState } from 'react';
import { errorMessage } from '../api.js';
import { useInbox } from '../hooks/use-live.js';
import { useShortcuts } from '../hooks/use-shortcuts.js';
import { navigate } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { availableShortcuts, type Shortcut, type ShortcutHandlers } from '../lib/shortcuts.js';
import { serviceApi } from '../service-api.js';
import { ShortcutsDialog } from './shortcuts-dialog.js';

const OPEN_STATES = new Set(['queued', 'assigned', 'waiting_on_visitor']);

/** The links of the conversation list as shown (its tab and filters applied), top to bottom. */
const listedLinks = () => [
  ...document.querySelectorAll<HTMLAnchorElement>('.inbox-list a.conversation-link'),
];

/** Opens the folded panel (a phone's conversation tools) that holds a control, so it can take focus. */
function unfold(control: Element): void {
  const details = control.closest('details');
  if (details && !details.open) details.open = true;
}

/**
 * A React-controlled field only takes a value through its native setter plus an input event; this
 * is how the "c" shortcut types the "/" that opens the reply's canned-response suggestions.
 */
function typeInto(field: HTMLTextAreaElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
  setter?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * The inbox's shortcuts (lib/shortcuts.ts) wired to what the inbox can do. Each handler is given
 * only while its action is possible here, so the "?" dialog lists exactly what works now. Results
 * and refusals are said in a polite live region.
 */
export function InboxShortcuts({ conversationId }: { conversationId: string | null }) {
  const { me } = useSession();
  const { items } = useInbox();
  const [listed, setListed] = useState<Shortcut[] | null>(null);
  const [said, setSaid] = useState('');

  const step = (by: 1 | -1) => {
    const links = listedLinks();
    if (links.length === 0) return;
    const at = links.findIndex((a) => a.getAttribute('aria-current') === 'page');
    const next = links[at < 0 ? 0 : Math.min(links.length - 1, Math.max(0, at + by))];
    const href = next?.getAttribute('href');
    if (href && at !== links.indexOf(next as HTMLAnchorElement)) navigate(href);
  };

  const handlers = (): ShortcutHandlers => {
    const h: ShortcutHandlers = {
      next: () => step(1),
      previous: () => step(-1),
      help: () => setListed(availableShortcuts(handlers())),
    };
    const search = document.getElementById('inbox-search');
    if (search) h['focus-search'] = () => search.focus();
    const reply = document.querySelector<HTMLTextAreaElement>('textarea[data-testid="reply"]');
    if (reply)
      h.canned = () => {
        reply.focus();
        if (!reply.value.startsWith('/')) typeInto(reply, `/${reply.value}`);
      };
    const query = items.find((c) => c.id === conversationId)?.query;
    if (query && OPEN_STATES.has(query.state) && query.assigneeId !== me.user.id) {
      const wid = me.workspace.id;
      h['assign-to-me'] = () =>
        void (
          query.state === 'queued'
            ? serviceApi.pick(wid, query.id)
            : serviceApi.transfer(wid, query.id, { userId: me.user.id })
        ).then(
          () => setSaid('Assigned to you.'),
          (e: unknown) => setSaid(`Could not assign it to you: ${errorMessage(e)}`),
        );
    }
    // The same action as the conversation's Resolve button, with what its form says (a code only
    // where the workspace requires one: then the form asks for it first).
    const resolveForm = document.querySelector<HTMLFormElement>('form[data-testid="resolve-form"]');
    if (resolveForm)
      h.resolve = () => {
        const code = resolveForm.querySelector<HTMLSelectElement>('select[required]');
        if (code && !code.value) {
          unfold(code);
          code.focus();
          setSaid('Choose a resolution code first.');
        } else resolveForm.requestSubmit();
      };
    // Snoozing needs a "until when": the shortcut takes the agent to that choice.
    const snooze = document.querySelector<HTMLSelectElement>('select[data-testid="snooze-choice"]');
    if (snooze)
      h.snooze = () => {
        unfold(snooze);
        snooze.focus();
      };
    return h;
  };

  useShortcuts(handlers);

  return (
    <>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="shortcut-status">
        {said}
      </p>
      {listed && <ShortcutsDialog shortcuts={listed} onClose={() => setListed(null)} />}
    </>
  );
}
