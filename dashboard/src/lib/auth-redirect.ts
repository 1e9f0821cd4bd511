import { navigate, safeReturnPath } from './router.js';

/**
 * Leaving for the sign-in page when the session is gone. The notice (for example "Your session has
 * ended") is kept in memory and shown once by the login screen.
 */
let notice: string | null = null;

export function redirectToLogin(message: string | null): void {
  if (message) notice = message;
  const here = window.location.pathname;
  if (here === '/login' || here === '/setup') return;
  const back = safeReturnPath(here);
  const target = back && back !== '/' ? `/login?next=${encodeURIComponent(back)}` : '/login';
  navigate(target, { replace: true });
}

/** The notice stays until the next successful sign-in, so a re-render cannot lose it. */
export function loginNotice(): string | null {
  return notice;
}

export function clearLoginNotice(): void {
  notice = null;
}
