/**
 * RFC 4515 escaping for values placed in an LDAP search filter. Everything a person types (the
 * email or user name at sign-in) goes through `escapeFilterValue`, so `*`, `(`, `)`, `\` and NUL
 * are data, never filter syntax: `*)(uid=*))(|(uid=*` searches for exactly that odd name.
 */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    // The four specials of RFC 4515 and every control character, as \XX of their byte.
    if (ch === '*' || ch === '(' || ch === ')' || ch === '\\' || code < 0x20 || code === 0x7f)
      out += `\\${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** `(attribute=value)` with the value escaped; the attribute comes from a fixed list, never from input. */
export function equalityFilter(attribute: string, value: string): string {
  return `(${attribute}=${escapeFilterValue(value)})`;
}

/** The filter that finds a person's entry by the attribute the directory is configured with. */
export function userFilter(attribute: string, login: string): string {
  const objectClass =
    attribute === 'sAMAccountName'
      ? '(objectClass=user)'
      : '(|(objectClass=person)(objectClass=inetOrgPerson))';
  return `(&${objectClass}${equalityFilter(attribute, login)})`;
}

/** Groups under the group base naming the user as a member (groupOfNames, groupOfUniqueNames, AD group). */
export function groupFilter(userDn: string): string {
  const dn = escapeFilterValue(userDn);
  return `(|(member=${dn})(uniqueMember=${dn}))`;
}
