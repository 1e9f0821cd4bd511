import { useEffect, useRef } from 'react';
import type { Shortcut } from '../lib/shortcuts.js';

/**
 * The "?" dialog: the shortcuts the screen offers now, read from the one list (lib/shortcuts.ts).
 * A native modal <dialog>: focus moves into it and stays there, Escape closes it, and focus returns
 * to where it was.
 */
export function ShortcutsDialog({
  shortcuts,
  onClose,
}: {
  shortcuts: readonly Shortcut[];
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (el && !el.open) el.showModal();
    return () => {
      if (el?.open) el.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      className="shortcuts-dialog"
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts-dialog"
      onClose={onClose}
    >
      <div className="shortcuts-dialog-header">
        <h2 id="shortcuts-title" className="card-title">
          Keyboard shortcuts
        </h2>
        <button type="button" className="button button-quiet" onClick={onClose} data-testid="shortcuts-close">
          Close
        </button>
      </div>
      <p className="muted">
        They work anywhere in the inbox except while you type in a field; Escape leaves a field.
      </p>
      <dl className="shortcuts-list">
        {shortcuts.map((s) => (
          <div className="shortcuts-row" key={s.id} data-testid="shortcut" data-shortcut={s.id}>
            <dt>
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && <span className="muted"> or </span>}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{s.description}</dd>
          </div>
        ))}
      </dl>
    </dialog>
  );
}
