/**
 * Text Parley refuses anywhere in a request, a frame, a query string or a path: U+0000 (NUL) and
 * UTF-16 surrogates without their pair. PostgreSQL cannot store NUL in text at all and SQLite would
 * store it as is, so the two storages would disagree; an unpaired surrogate cannot be encoded as
 * UTF-8 and would be replaced by U+FFFD on the way to the database, so the stored text would not be
 * the text the client sent (and an honest resend of it would look like a different message).
 */
export function isUnsafeText(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    // A high surrogate followed by a low one is one character; anything else is half of one.
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i += 1;
    else return true;
  }
  return false;
}

export const UNSAFE_TEXT_DETAIL = 'must not contain U+0000 (NUL) or an unpaired UTF-16 surrogate';

/**
 * The path (`/name`, `/custom/plan`, `/items/0`) of the first string, value or key, holding unsafe
 * text, or null. Walks with its own stack, so deeply nested input cannot overflow the call stack.
 * Every frame and request body is checked, and nearly all are clean: the first walk only looks, and
 * the paths are spelled out by a second walk once something is found.
 */
export function findUnsafeText(value: unknown): string | null {
  return holdsUnsafeText(value) ? pathOfUnsafeText(value) : null;
}

function holdsUnsafeText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (isUnsafeText(item)) return true;
    } else if (ArrayBuffer.isView(item)) {
      // Bytes (an uploaded file) are not text: nothing to check, and too many to walk.
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i -= 1) stack.push(item[i]);
    } else if (typeof item === 'object' && item !== null) {
      for (const key in item) {
        if (!Object.hasOwn(item, key)) continue;
        if (isUnsafeText(key)) return true;
        stack.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

function pathOfUnsafeText(value: unknown): string | null {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      if (isUnsafeText(item)) return path;
    } else if (ArrayBuffer.isView(item)) {
      // As above: bytes are not text.
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i -= 1) stack.push([item[i], `${path}/${i}`]);
    } else if (typeof item === 'object' && item !== null) {
      for (const key of Object.keys(item)) {
        const at = `${path}/${pathSegment(key)}`;
        if (isUnsafeText(key)) return at;
        stack.push([(item as Record<string, unknown>)[key], at]);
      }
    }
  }
  return null;
}

/** A key as it may appear in an error detail: control and surrogate characters shown escaped. */
function pathSegment(key: string): string {
  let out = '';
  for (let i = 0; i < Math.min(key.length, 40); i += 1) {
    const c = key.charCodeAt(i);
    out += c < 0x20 || (c >= 0xd800 && c <= 0xdfff) ? `\\u${c.toString(16).padStart(4, '0')}` : key[i];
  }
  return key.length > 40 ? `${out}…` : out;
}
