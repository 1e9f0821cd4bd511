import type { Client, Entry } from 'ldapts';
import type { Role } from '../../../protocol/common.js';
import { classify } from './ldap-connection.js';
import { groupFilter, userFilter } from './ldap-filter.js';

export interface DirectorySettings {
  baseDn: string;
  userAttribute: string;
  groupMode: 'memberOf' | 'search';
  groupBaseDn: string | null;
  /** Lower-case group DN → role. */
  mappings: ReadonlyMap<string, Role>;
}

export interface DirectoryPerson {
  dn: string;
  name: string;
  /** Why the directory says no, when it does: disabled / locked in the directory, or no mapped group. */
  refusal: 'disabled' | 'no_mapped_group' | null;
  role: Role | null;
}

const RANK: Record<Role, number> = { administrator: 3, supervisor: 2, operator: 1 };

/** What Parley types into the search: the whole email for `mail`, its local part for uid / sAMAccountName. */
export function loginName(attribute: string, email: string): string {
  return attribute === 'mail' ? email : (email.split('@')[0] ?? '');
}

const text = (v: Entry[string] | undefined): string[] =>
  v === undefined
    ? []
    : (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));

/**
 * The one documented rule for "disabled in the directory": Active Directory's userAccountControl
 * with bit 2 (ACCOUNTDISABLE) set; OpenLDAP's ppolicy `pwdAccountLockedTime` present; 389-DS / FreeIPA
 * `nsAccountLock: true`. An entry that no longer matches the filter, or is in no mapped group, is
 * refused the same way (`findPerson` answers null / no_mapped_group).
 */
export function isDisabled(entry: Entry): boolean {
  const uac = Number(text(entry.userAccountControl)[0] ?? '0');
  if (Number.isInteger(uac) && (uac & 2) === 2) return true;
  if (text(entry.pwdAccountLockedTime).length > 0) return true;
  return text(entry.nsAccountLock).some((v) => v.toLowerCase() === 'true');
}

/** The highest role any of the person's groups maps to, or null. */
export function mappedRole(groups: readonly string[], mappings: ReadonlyMap<string, Role>): Role | null {
  let best: Role | null = null;
  for (const g of groups) {
    const role = mappings.get(normalizeDn(g));
    if (role && (!best || RANK[role] > RANK[best])) best = role;
  }
  return best;
}

/** DNs compare case-insensitively and without spaces after commas (`cn=A, dc=x` is `cn=a,dc=x`). */
export function normalizeDn(dn: string): string {
  return dn
    .trim()
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*=\s*/g, '=')
    .toLowerCase();
}

/**
 * Looks a person up with the (already bound) search account: exactly one entry under the base must
 * match, else null (none, or an ambiguous filter: never pick one of several).
 */
export async function findPerson(
  client: Client,
  settings: DirectorySettings,
  login: string,
): Promise<DirectoryPerson | null> {
  try {
    const { searchEntries } = await client.search(settings.baseDn, {
      scope: 'sub',
      filter: userFilter(settings.userAttribute, login),
      attributes: [
        'cn',
        'displayName',
        'memberOf',
        'userAccountControl',
        'pwdAccountLockedTime',
        'nsAccountLock',
      ],
      sizeLimit: 2,
    });
    if (searchEntries.length !== 1) return null;
    return describe(client, settings, searchEntries[0] as Entry);
  } catch (err) {
    if ((err as { code?: unknown }).code === 4) return null; // size limit exceeded: ambiguous
    if ((err as { code?: unknown }).code === 32) return null; // no such object: base gone
    throw classify(err, 'search');
  }
}

/** Re-reads a known DN (the periodic re-check): null when the entry is gone. */
export async function findPersonByDn(client: Client, settings: DirectorySettings, dn: string, login: string) {
  const person = await findPerson(client, settings, login);
  return person && normalizeDn(person.dn) === normalizeDn(dn) ? person : null;
}

async function describe(client: Client, settings: DirectorySettings, entry: Entry): Promise<DirectoryPerson> {
  const groups =
    settings.groupMode === 'memberOf'
      ? text(entry.memberOf)
      : (
          await client.search(settings.groupBaseDn ?? settings.baseDn, {
            scope: 'sub',
            filter: groupFilter(entry.dn),
            attributes: ['dn'],
            sizeLimit: 500,
          })
        ).searchEntries.map((g) => g.dn);
  const role = mappedRole(groups, settings.mappings);
  const name = text(entry.displayName)[0] ?? text(entry.cn)[0] ?? '';
  return {
    dn: entry.dn,
    name,
    role,
    refusal: isDisabled(entry) ? 'disabled' : role === null ? 'no_mapped_group' : null,
  };
}
