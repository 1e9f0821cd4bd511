import type { SessionStage } from '../../../protocol/api.js';
import { navigate, safeReturnPath } from './router.js';

/**
 * A signed-in session may still owe its second factor or MFA setup; until it is complete the
 * dashboard shows only the screen that settles that.
 */
export const STAGE_PATHS: Record<Exclude<SessionStage, 'full'>, string> = {
  mfa: '/sign-in/verify',
  enroll: '/sign-in/enroll',
};

/** Sends the browser to where a session in `stage` belongs; `next` is where to go once complete. */
export function routeForStage(stage: SessionStage, next: string | null): void {
  const back = safeReturnPath(next);
  if (stage === 'full') {
    navigate(back ?? '/inbox', { replace: true });
    return;
  }
  const query = back && back !== '/inbox' ? `?next=${encodeURIComponent(back)}` : '';
  navigate(`${STAGE_PATHS[stage]}${query}`, { replace: true });
}
