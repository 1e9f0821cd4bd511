import { useEffect, useRef, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'selected';

/** The one line to paste into a website, read-only, with a Copy button. */
export function EmbedSnippet({ snippet }: { snippet: string }) {
  const box = useRef<HTMLPreElement>(null);
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 4000);
    return () => clearTimeout(t);
  }, [state]);

  const selectAll = () => {
    const el = box.current;
    const selection = window.getSelection();
    if (!el || !selection) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    selection.removeAllRanges();
    selection.addRange(range);
  };

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(snippet);
      setState('copied');
    } catch {
      // No clipboard access (insecure context, permissions): select it so Ctrl+C works.
      selectAll();
      setState('selected');
    }
  };

  return (
    <div className="snippet">
      <pre ref={box} className="snippet-code" data-testid="embed-snippet">
        <code>{snippet}</code>
      </pre>
      <div className="snippet-actions">
        <button type="button" className="button" onClick={copy} data-testid="embed-copy">
          {state === 'copied' ? 'Copied ✓' : 'Copy'}
        </button>
        <span className="snippet-status" role="status">
          {state === 'copied' && 'Snippet copied to the clipboard.'}
          {state === 'selected' && 'Selected — press Ctrl+C (⌘C on Mac) to copy.'}
        </span>
      </div>
    </div>
  );
}
