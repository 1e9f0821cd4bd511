/** @jsxImportSource preact */
import type { RefObject } from 'preact';
import { useState } from 'preact/hooks';
import { LIMITS } from '../../protocol/limits.js';
import type { Chat } from './chat.js';
import { useTexts } from './i18n/context.js';

interface Props {
  chat: Chat | null;
  ready: boolean;
  textarea: RefObject<HTMLTextAreaElement>;
}

export function Composer({ chat, ready, textarea }: Props) {
  const [text, setText] = useState('');
  const { t } = useTexts();
  const canSend = ready && text.trim() !== '';

  const submit = (): void => {
    if (canSend && chat?.send(text)) setText('');
  };

  return (
    <form
      class="pw-composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={textarea}
        class="pw-input"
        data-testid="composer"
        aria-label={t('messageLabel')}
        placeholder={t('placeholder')}
        rows={1}
        maxLength={LIMITS.maxMessageChars}
        value={text}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setText(value);
          chat?.draftChanged(value);
        }}
        onKeyDown={(e) => {
          // Enter sends, Shift+Enter is a new line; never while an IME is composing a character.
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
        onFocus={() => chat?.setAttentive(true)}
        onBlur={() => {
          chat?.setAttentive(false);
          chat?.typingStopped();
        }}
      />
      <button type="submit" class="pw-send" data-testid="send" aria-label={t('send')} disabled={!canSend}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path d="M4 12l16-8-6 16-3-7-7-1z" />
        </svg>
      </button>
    </form>
  );
}
