import type { AuditEventInput } from './audit-event.js';

type Listener = (event: AuditEventInput) => void;
const listeners = new Set<Listener>();

/**
 * Who hears of every audit entry this process records (the security alerts). Listeners run after the
 * entry is written, must not throw and must not wait: they are told, they do not take part.
 * Returns the function that stops listening.
 */
export function onAuditEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyAuditListeners(event: AuditEventInput): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // A listener's failure never fails the change that was audited.
    }
  }
}
