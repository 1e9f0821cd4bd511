/** A round initial with a colour derived from the name, so the same visitor keeps their colour. */
export function Avatar({ name, small = false }: { name: string; small?: boolean }) {
  let hash = 0;
  for (let i = 0; i < name.length; i += 1) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  const initial = (first + last).toUpperCase();
  return (
    <span className={`avatar avatar-c${hash % 6}${small ? ' avatar-small' : ''}`} aria-hidden="true">
      {initial}
    </span>
  );
}
