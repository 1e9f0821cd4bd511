import { useEffect } from 'react';
import { useInbox, useSeen } from '../hooks/use-live.js';
import { setUnreadTitleCount } from '../lib/title.js';

/** The number of open conversations with activity the agent has not seen, next to "Inbox". */
export function UnreadCount() {
  const { items } = useInbox();
  const seen = useSeen();
  const count = items.filter((c) => c.lastSeq > (seen[c.id] ?? 0)).length;

  useEffect(() => {
    setUnreadTitleCount(count);
    return () => setUnreadTitleCount(0);
  }, [count]);

  if (count === 0) return null;
  return (
    <span className="nav-count">
      {count}
      <span className="visually-hidden"> unread</span>
    </span>
  );
}
