/**
 * Server-side masking for roles without `personal-data.read`. Names, emails and phone numbers the
 * visitor gave are masked, and so are emails, phone numbers and payment card numbers (Luhn-checked)
 * inside any free text. Masking errs towards hiding: an order number that looks like a phone number
 * is masked too.
 */
const BULLET = '•';
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// 13–19 digits, optionally grouped by single spaces or dashes.
const CARD = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g;
// A run of digits and phone punctuation holding 7–15 digits, optionally with a leading +.
const PHONE = /(?<![\w+])\+?\(?\d[\d ().-]{5,22}\d(?![\w])/g;
const DATE_LIKE = /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}:\d{2}(:\d{2})?)$/;

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return BULLET.repeat(3);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot >= 0 ? domain.slice(dot) : '';
  return `${email[0]}${BULLET.repeat(3)}@${BULLET.repeat(3)}${tld}`;
}

/** Keeps the punctuation and the last two digits: enough to tell two numbers apart, no more. */
export function maskPhone(phone: string): string {
  return maskDigits(phone, 2);
}

export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${Array.from(word)[0] ?? ''}${BULLET.repeat(3)}`)
    .join(' ');
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length >= 13 && sum % 10 === 0;
}

export function maskText(text: string): string {
  return text
    .replace(EMAIL, (m) => maskEmail(m))
    .replace(CARD, (m) => (luhnValid(m.replace(/\D/g, '')) ? maskDigits(m, 4) : m))
    .replace(PHONE, (m) => {
      const digits = m.replace(/\D/g, '').length;
      if (digits < 7 || digits > 15 || DATE_LIKE.test(m)) return m;
      return maskPhone(m);
    });
}

function maskDigits(text: string, keep: number): string {
  const total = text.replace(/\D/g, '').length;
  let seen = 0;
  return text.replace(/\d/g, (d) => {
    seen += 1;
    return seen > total - keep ? d : BULLET;
  });
}
