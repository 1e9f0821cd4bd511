import { useEffect, useRef } from 'react';
import { isTypingTarget, type ShortcutHandlers, shortcutFor } from '../lib/shortcuts.js';

/**
 * Listens for the shortcuts of lib/shortcuts.ts while the screen is shown. The handlers are asked
 * for at each key press, so they reflect what the screen can do at that moment (a reply box, a
 * queued query, a search field) without re-registering the listener on every render.
 * Escape in a field leaves the field, so the next key is a shortcut again.
 */
export function useShortcuts(handlers: () => ShortcutHandlers): void {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target;
      if (event.key === 'Escape' && isTypingTarget(target) && !event.defaultPrevented) {
        if (target instanceof HTMLElement && !target.closest('dialog[open]')) target.blur();
        return;
      }
      const now = current.current();
      const shortcut = shortcutFor(event, now);
      if (!shortcut) return;
      event.preventDefault();
      now[shortcut.id]?.();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
