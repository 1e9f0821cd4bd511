import { type Language, pickLanguage } from '../../protocol/languages.js';

/** Longer headers are cut: a browser sends a few tags, not kilobytes. */
const MAX_HEADER_CHARS = 500;

/**
 * The supported language an Accept-Language header asks for most ("de-CH,de;q=0.9,en;q=0.8" → de),
 * or null. Tags are read by their weight, then their order; `*` and malformed ones are skipped.
 */
export function languageFromHeader(header: string | undefined): Language | null {
  if (!header) return null;
  const ranked = header
    .slice(0, MAX_HEADER_CHARS)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), weight: q === undefined ? 1 : Number(q), index };
    })
    .filter((t) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(t.tag) && t.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return pickLanguage(ranked.map((t) => t.tag));
}
