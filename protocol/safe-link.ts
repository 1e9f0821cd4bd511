/**
 * The only links Parley renders: http(s) with a host, or mailto with an address. The schema uses
 * the pattern; clients check again before rendering. No TypeBox here, so the widget stays small.
 */
export const SAFE_LINK_PATTERN = '^(https?://[^\\s/?#]+[^\\s]*|mailto:[^\\s@]+@[^\\s@]+)$';
const SAFE_LINK = new RegExp(SAFE_LINK_PATTERN, 'i');
export const MAX_URL_CHARS = 2000;

export function isSafeLink(url: string): boolean {
  return url.length <= MAX_URL_CHARS && SAFE_LINK.test(url);
}
