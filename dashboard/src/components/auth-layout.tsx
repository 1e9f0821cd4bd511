import type { ReactNode } from 'react';

/** The calm, centered frame of the screens before sign-in (setup, login). */
export function AuthLayout({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  return (
    <main className="auth-page" id="main">
      <div className="auth-card">
        <div className="auth-brand">
          <span className="logo" aria-hidden="true" />
          <span className="brand-name">Parley</span>
        </div>
        <h1 className="auth-title">{title}</h1>
        {intro && <div className="auth-intro">{intro}</div>}
        {children}
      </div>
    </main>
  );
}
