import { type ReactNode, useState } from 'react';

/** Where the conversation's tools fold away: a phone's width, as in layout.css. */
const PHONE = '(max-width: 760px)';

/**
 * The handoff and visitor panels above a transcript. On a phone they start folded, so the transcript
 * keeps most of the screen; one tap opens them (and they scroll within a bounded height there). On a
 * wider window they start open. The summary says where the conversation stands even when folded.
 */
export function ConversationTools({ summary, children }: { summary: string; children: ReactNode }) {
  const [open, setOpen] = useState(() => typeof window === 'undefined' || !window.matchMedia(PHONE).matches);
  return (
    <details
      className="conversation-tools"
      data-testid="conversation-tools"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary className="conversation-tools-summary">{summary}</summary>
      <div className="conversation-tools-body">{children}</div>
    </details>
  );
}
