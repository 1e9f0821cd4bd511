import { useEffect, useState } from 'react';
import type { MailCheck } from '../../../protocol/email.js';
import { emailApi } from '../email-api.js';

/**
 * The relay's verdicts on each mail of an email conversation, by message seq: fetched again when a
 * newer message arrives, the previous ones kept meanwhile. Nothing for other channels.
 */
export function useMailChecks(
  workspaceId: string,
  conversationId: string,
  o: { enabled: boolean; lastSeq: number },
): ReadonlyMap<number, MailCheck> {
  const [checks, setChecks] = useState<ReadonlyMap<number, MailCheck>>(new Map());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a newer message may bring a newer mail's verdicts
  useEffect(() => {
    if (!o.enabled) return;
    let cancelled = false;
    emailApi.status(workspaceId, conversationId).then(
      (status) => !cancelled && setChecks(new Map(status.mailChecks.map((c) => [c.seq, c]))),
      // The verdicts are a help, not the conversation: without them the messages still show.
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [workspaceId, conversationId, o.enabled, o.lastSeq]);
  return checks;
}

const NAMES = [
  ['dkim', 'DKIM'],
  ['spf', 'SPF'],
  ['dmarc', 'DMARC'],
] as const;

/** "DKIM pass · SPF fail · DMARC fail" beside a customer's mail; a DMARC fail stands out. */
export function MailCheckLine({ check }: { check: MailCheck }) {
  const dmarcFailed = check.dmarc === 'fail';
  const parts = NAMES.filter(([key]) => check[key] !== null).map(([key, name]) => `${name} ${check[key]}`);
  return (
    <div className={`mail-check${dmarcFailed ? ' is-failed' : ''}`} data-testid="mail-check">
      {dmarcFailed && <strong>Sender not verified: </strong>}
      {parts.join(' · ')}
    </div>
  );
}
