/**
 * The inbox's keyboard shortcuts: one list, read by the key handler and by the "?" dialog, so what
 * the dialog shows is exactly what the keyboard does. An action is live (and listed) only while the
 * screen gives it a handler: an action the screen cannot do yet, or cannot do right now, is neither
 * listed nor fired. A new action is one entry here and one handler where the screen has the means.
 */
export type ShortcutId =
  | 'next'
  | 'previous'
  | 'assign-to-me'
  | 'resolve'
  | 'snooze'
  | 'focus-search'
  | 'canned'
  | 'help';

export interface Shortcut {
  id: ShortcutId;
  /** What the dialog shows, one entry per alternative, e.g. ["j", "Alt+↓"]. */
  keys: readonly string[];
  description: string;
  matches: (event: KeyboardEvent) => boolean;
}

export type ShortcutHandlers = Partial<Record<ShortcutId, () => void>>;

/** A plain key: no Ctrl, Alt or Meta (the browser's and the system's own shortcuts keep theirs). */
const plain = (key: string) => (e: KeyboardEvent) => e.key === key && !e.ctrlKey && !e.altKey && !e.metaKey;
const alt = (key: string) => (e: KeyboardEvent) => e.key === key && e.altKey && !e.ctrlKey && !e.metaKey;
const either =
  (...tests: Array<(e: KeyboardEvent) => boolean>) =>
  (e: KeyboardEvent) =>
    tests.some((t) => t(e));

export const SHORTCUTS: readonly Shortcut[] = [
  {
    id: 'next',
    keys: ['j', 'Alt+↓'],
    description: 'Next conversation',
    matches: either(plain('j'), alt('ArrowDown')),
  },
  {
    id: 'previous',
    keys: ['k', 'Alt+↑'],
    description: 'Previous conversation',
    matches: either(plain('k'), alt('ArrowUp')),
  },
  { id: 'assign-to-me', keys: ['a'], description: 'Assign the conversation to me', matches: plain('a') },
  { id: 'resolve', keys: ['e'], description: 'Resolve the conversation', matches: plain('e') },
  {
    id: 'snooze',
    keys: ['s'],
    description: 'Snooze the conversation (choose until when)',
    matches: plain('s'),
  },
  { id: 'focus-search', keys: ['/'], description: 'Search conversations', matches: plain('/') },
  { id: 'canned', keys: ['c'], description: 'Open canned responses in the reply', matches: plain('c') },
  // "?" is Shift+/ on most layouts: Shift is part of the key, not a modifier to refuse.
  { id: 'help', keys: ['?'], description: 'Show these shortcuts', matches: plain('?') },
];

/** The shortcuts the screen can act on now, in the list's order. */
export function availableShortcuts(handlers: ShortcutHandlers): Shortcut[] {
  return SHORTCUTS.filter((s) => handlers[s.id]);
}

/** Where keys are text: a field, an editable element, or a control that uses the keys itself. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.matches('input, textarea, select');
}

/**
 * The shortcut a key press asks for, or null. Nothing fires while a person types in a field (Escape
 * is theirs to leave it), inside an open modal dialog, or for a key something else already took.
 */
export function shortcutFor(event: KeyboardEvent, handlers: ShortcutHandlers): Shortcut | null {
  if (event.defaultPrevented || event.isComposing) return null;
  if (isTypingTarget(event.target)) return null;
  if (event.target instanceof Element && event.target.closest('dialog[open]')) return null;
  return availableShortcuts(handlers).find((s) => s.matches(event)) ?? null;
}
