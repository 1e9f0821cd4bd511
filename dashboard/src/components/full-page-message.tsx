import type { ReactNode } from 'react';

interface Props {
  title: string;
  tone?: 'neutral' | 'error';
  busy?: boolean;
  children?: ReactNode;
}

/** A centered card for states where there is no app to show yet: loading, failure, not found. */
export function FullPageMessage({ title, tone = 'neutral', busy = false, children }: Props) {
  return (
    <main className="full-page" aria-busy={busy}>
      <div className={`full-page-card tone-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
        {busy && <span className="spinner" aria-hidden="true" />}
        <h1 className="full-page-title">{title}</h1>
        {children}
      </div>
    </main>
  );
}
