import { useEffect, useRef, useState } from 'react';

/**
 * A secret shown in a read-only field with a Copy button. Kept out of the page title, the URL and
 * storage; it lives only in this component's props.
 */
export function SecretBox({ label, value, testId }: { label: string; value: string; testId: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<'idle' | 'copied' | 'selected'>('idle');

  useEffect(() => {
    if (status === 'idle') return;
    const t = setTimeout(() => setStatus('idle'), 4000);
    return () => clearTimeout(t);
  }, [status]);

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(value);
      setStatus('copied');
    } catch {
      // No clipboard access (insecure context, permissions): select it so Ctrl+C works.
      input.current?.select();
      setStatus('selected');
    }
  };

  return (
    <div className="secret-box">
      <input
        ref={input}
        className="input mono secret-input"
        readOnly
        value={value}
        aria-label={label}
        spellCheck={false}
        autoComplete="off"
        onFocus={(e) => e.currentTarget.select()}
        data-testid={testId}
      />
      <button type="button" className="button" onClick={copy}>
        {status === 'copied' ? 'Copied ✓' : 'Copy'}
      </button>
      <span className="snippet-status" role="status">
        {status === 'copied' && 'Copied to the clipboard.'}
        {status === 'selected' && 'Selected — press Ctrl+C (⌘C on Mac) to copy.'}
      </span>
    </div>
  );
}
