/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { useTexts } from './i18n/context.js';

export type Rate = (score: number, comment: string) => Promise<void>;

/** The 1–5 rating a visitor gives after a person resolved the conversation, with an optional comment. */
export function Rating({ onRate }: { onRate: Rate }) {
  const { t } = useTexts();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [phase, setPhase] = useState<'choosing' | 'sending' | 'done' | 'failed'>('choosing');
  if (phase === 'done')
    return (
      <p class="pw-rating-done" data-testid="rating-done">
        {t('ratingThanks')}
      </p>
    );
  const submit = (e: Event): void => {
    e.preventDefault();
    if (!score) return;
    setPhase('sending');
    onRate(score, comment).then(
      () => setPhase('done'),
      () => setPhase('failed'),
    );
  };
  return (
    <form class="pw-rating" data-testid="rating" onSubmit={submit}>
      <fieldset class="pw-stars">
        <legend class="pw-sr">{t('ratingLegend')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            aria-pressed={score === n}
            aria-label={t('ratingStar', { n })}
            class={`pw-star${n <= score ? ' pw-on' : ''}`}
            onClick={() => setScore(n)}
          >
            {n}
          </button>
        ))}
      </fieldset>
      <textarea
        class="pw-rating-comment"
        aria-label={t('ratingCommentLabel')}
        placeholder={t('ratingCommentPlaceholder')}
        maxLength={1000}
        value={comment}
        onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
      />
      <button type="submit" class="pw-button" disabled={!score || phase === 'sending'}>
        {t('ratingSend')}
      </button>
      {phase === 'failed' && (
        <p class="pw-meta pw-error" role="alert">
          {t('ratingFailed')}
        </p>
      )}
    </form>
  );
}
