import type { ErrorCode } from '../../../protocol/errors.js';
import { plainAddress } from './client-address.js';

/**
 * Refusals worth an administrator's attention when they come in bursts: a request or WebSocket
 * handshake from an origin Parley does not serve (`origin`), a WebSocket ticket that is unknown,
 * spent or expired (`ticket`), an administration request from an address outside
 * PARLEY_ADMIN_ALLOWED_IPS (`address`).
 */
export type RefusalKind = 'origin' | 'ticket' | 'address';

const KIND_OF: Partial<Record<ErrorCode, RefusalKind>> = {
  cross_origin_refused: 'origin',
  origin_not_allowed: 'origin',
  ticket_invalid: 'ticket',
  address_not_allowed: 'address',
};

export function refusalKindOf(code: ErrorCode): RefusalKind | null {
  return KIND_OF[code] ?? null;
}

/** What a listener is told: never the ticket or anything else the caller sent but its origin. */
export interface Refusal {
  kind: RefusalKind;
  /** The client address (PARLEY_TRUSTED_PROXIES honoured). */
  address: string;
  /** The Origin header when it looks like one (scheme, host, port and nothing else); else null. */
  origin: string | null;
}

type Listener = (refusal: Refusal) => void;

/**
 * One node's refusals, told to whoever listens (the security alerts). The error handler reports
 * every answer with one of the codes above, wherever it was thrown (the origin guard, the admin
 * allow-list, the WebSocket handshake, a widget's origin check), so the platform knows no module.
 * Listeners must not throw or wait: they are told, they do not take part in the answer.
 */
export interface RefusalEvents {
  on(listener: Listener): () => void;
  report(input: { code: ErrorCode; ip: string; origin: string | undefined }): void;
}

const ORIGIN = /^https?:\/\/[a-z0-9.-]{1,253}(:\d{1,5})?$|^https?:\/\/\[[0-9a-f:.]{2,45}\](:\d{1,5})?$/i;

/**
 * `publicOrigin`: Parley's own origin is never the refused one (the widget's iframe asks from it for
 * a host page the widget does not allow), so it is not named as such.
 */
export function createRefusalEvents(publicOrigin: string): RefusalEvents {
  const listeners = new Set<Listener>();
  return {
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report({ code, ip, origin }) {
      const kind = refusalKindOf(code);
      if (!kind || listeners.size === 0) return;
      const refusal: Refusal = {
        kind,
        address: plainAddress(ip),
        origin:
          origin !== undefined && origin !== publicOrigin && ORIGIN.test(origin)
            ? origin.toLowerCase()
            : null,
      };
      for (const listener of listeners) {
        try {
          listener(refusal);
        } catch {
          // A listener's failure never changes the answer.
        }
      }
    },
  };
}
