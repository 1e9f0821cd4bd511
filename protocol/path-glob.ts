/**
 * Whether `path` matches the glob: literal characters and `*` for any run of characters (`/`
 * included). A greedy scan of the parts, no backtracking and no regular expression, so no pattern an
 * administrator writes can make it slow. Kept free of imports: the loader (widget.js) uses it.
 */
export function pathMatches(glob: string, path: string): boolean {
  const parts = glob.split('*');
  const last = parts.pop() as string;
  if (!parts.length) return path === glob;
  let at = 0;
  for (const [i, part] of parts.entries()) {
    const found = path.indexOf(part, at);
    if (found < 0 || (i === 0 && found > 0)) return false;
    at = found + part.length;
  }
  return path.length - last.length >= at && path.endsWith(last);
}
