import { useState } from 'react';

/** Recovery codes, shown once: the server keeps only their hashes. */
export function RecoveryCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="recovery-codes" aria-labelledby="recovery-title">
      <h2 id="recovery-title" className="card-title">
        Save your recovery codes
      </h2>
      <p>
        Each code signs you in once if you lose your authenticator. Keep them somewhere safe, like a password
        manager. <strong>They are shown only now.</strong>
      </p>
      <ol className="code-list mono" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <div className="form-actions">
        <button type="button" className="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy codes'}
        </button>
        <button type="button" className="button button-primary" onClick={onDone} data-testid="recovery-done">
          I have saved them
        </button>
      </div>
    </section>
  );
}
