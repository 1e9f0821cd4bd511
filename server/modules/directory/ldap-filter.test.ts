import { describe, expect, it } from 'vitest';
import { escapeFilterValue, userFilter } from './ldap-filter.js';

describe('LDAP filter escaping (RFC 4515)', () => {
  it('turns filter syntax in a typed name into data', () => {
    expect(escapeFilterValue('*)(uid=*))(|(uid=*')).toBe('\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\u0000c')).toBe('a\\5cb\\00c');
  });

  it('keeps ordinary names, dots, @ and non-ASCII letters as they are', () => {
    expect(escapeFilterValue('ana.lópez@example.com')).toBe('ana.lópez@example.com');
  });

  it('builds one equality test whatever the input', () => {
    const filter = userFilter('uid', 'x)(objectClass=*');
    expect(filter).toBe(
      '(&(|(objectClass=person)(objectClass=inetOrgPerson))(uid=x\\29\\28objectClass=\\2a))',
    );
    // Balanced parentheses: the input could not close the filter early.
    const unescaped = filter.replace(/\\[0-9a-f]{2}/g, '');
    let depth = 0;
    for (const ch of unescaped) {
      depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });
});
