/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { useTexts } from './i18n/context.js';

/**
 * "Email me the transcript": Parley mails the conversation to the address the visitor left (in a
 * form or to the bot). The answer says what happened in words: sent, or why not.
 */
export function TranscriptRequest({ request }: { request: (() => Promise<void>) | null }) {
  const { t, error: say } = useTexts();
  const [phase, setPhase] = useState<'idle' | 'sending' | 'sent' | 'failed'>('idle');
  const [error, setError] = useState('');
  const ask = (): void => {
    if (!request) return;
    setPhase('sending');
    request().then(
      () => setPhase('sent'),
      (e: unknown) => {
        setError(e instanceof ApiError ? say(e.code, e.message) : t('transcriptFailed'));
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
        {phase === 'sending' ? t('sending') : t('transcriptRequest')}
      </button>
      <p class="pw-meta" role="status" data-testid="transcript-request-status">
        {phase === 'sent' ? t('transcriptSent') : phase === 'failed' ? error : ''}
      </p>
    </div>
  );
}
