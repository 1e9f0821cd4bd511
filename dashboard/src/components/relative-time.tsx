import { useNow } from '../hooks/use-now.js';
import { fullTime, relativeTime } from '../lib/time.js';

/** "5 min" in lists; with `ago`, reads as part of a sentence: "5 min ago", "just now". */
export function RelativeTime({
  iso,
  className,
  ago = false,
}: {
  iso: string;
  className?: string;
  ago?: boolean;
}) {
  const now = useNow();
  let text = relativeTime(iso, now);
  if (ago && text === 'now') text = 'just now';
  else if (ago && /\d (min|h)$/.test(text)) text = `${text} ago`;
  return (
    <time dateTime={iso} title={fullTime(iso)} className={className}>
      {text}
    </time>
  );
}
