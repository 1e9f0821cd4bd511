import type { Typist } from '../lib/conversation-store.js';

function sentence(typists: Typist[]): string {
  const names = typists.map((t) => t.name);
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

/** "Visitor 1a2b is typing…"; the live region stays so screen readers hear it appear. */
export function TypingIndicator({ typists }: { typists: Typist[] }) {
  return (
    <div className="typing-slot" aria-live="polite">
      {typists.length > 0 && (
        <p className="typing" data-testid="typing">
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {sentence(typists)}
        </p>
      )}
    </div>
  );
}
