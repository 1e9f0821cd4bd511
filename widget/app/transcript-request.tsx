/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { ApiError } from './api.js';

/**
 * "Email me the transcript": Parley mails the conversation to the address the visitor left (in a
 * form or to the bot). The answer says what happened in words: sent, or why not.
 */
export function TranscriptRequest({ request }: { request: (() => Promise<void>) | null }) {
  const [phase, setPhase] = useState<'idle' | 'sending' | 'sent' | 'failed'>('idle');
  const [error, setError] = useState('');
  const ask = (): void => {
    if (!request) return;
    setPhase('sending');
    request().then(
      () => setPhase('sent'),
      (e: unknown) => {
        setError(e instanceof ApiError ? e.message : 'The transcript could not be sent. Try again.');
        setPhase('failed');
      },
    );
  };
  return (
    <div class="pw-transcript" data-testid="transcript-request">
      <button
        type="button"
        class="pw-link"
        onClick={ask}
        disabled={!request || phase === 'sending'}
        data-testid="transcript-request-button"
      >
        {phase === 'sending' ? 'Sending…' : 'Email me the transcript'}
      </button>
      <p class="pw-meta" role="status" data-testid="transcript-request-status">
        {phase === 'sent' ? 'Sent to the email address you gave us.' : phase === 'failed' ? error : ''}
      </p>
    </div>
  );
}
