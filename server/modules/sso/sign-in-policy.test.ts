import { describe, expect, it } from 'vitest';
import { mayLinkExisting, mergeClaims, providerAssertsMfa, roleFromGroups } from './sign-in-policy.js';

describe('company sign-in policy', () => {
  const mappings = [
    { group: 'support', role: 'operator' as const },
    { group: 'leads', role: 'supervisor' as const },
    { group: 'it-admins', role: 'administrator' as const },
  ];
  it('gives the highest mapped role, takes one value or a list, and nothing for anything else', () => {
    expect(roleFromGroups(['support', 'leads'], mappings)).toBe('supervisor');
    expect(roleFromGroups(['it-admins', 'support'], mappings)).toBe('administrator');
    expect(roleFromGroups('support', mappings)).toBe('operator');
    expect(roleFromGroups(['marketing'], mappings)).toBeNull();
    expect(roleFromGroups(undefined, mappings)).toBeNull();
    expect(roleFromGroups([{ group: 'support' }, 7], mappings)).toBeNull();
    expect(roleFromGroups(['Support'], mappings)).toBeNull();
  });
  it('counts a second factor only from amr methods beyond a password or a configured acr', () => {
    expect(providerAssertsMfa({ amr: ['pwd', 'mfa'] }, [])).toBe(true);
    expect(providerAssertsMfa({ amr: ['hwk'] }, [])).toBe(true);
    expect(providerAssertsMfa({ amr: ['pwd'] }, [])).toBe(false);
    expect(providerAssertsMfa({ amr: 'mfa' }, [])).toBe(false);
    expect(providerAssertsMfa({ acr: 'urn:corp:mfa' }, ['urn:corp:mfa'])).toBe(true);
    expect(providerAssertsMfa({ acr: 'urn:corp:mfa' }, [])).toBe(false);
  });
  it('links an existing account only with a verified email and the administrator’s leave', () => {
    expect(mayLinkExisting({ emailVerified: true, linkAllowed: true })).toBe(true);
    expect(mayLinkExisting({ emailVerified: 'true', linkAllowed: true })).toBe(false);
    expect(mayLinkExisting({ emailVerified: true, linkAllowed: false })).toBe(false);
    expect(mayLinkExisting({ emailVerified: undefined, linkAllowed: true })).toBe(false);
  });

  it('takes email, name and groups from userinfo where it has them, and the ID token otherwise', () => {
    const idToken = {
      sub: 's',
      iss: 'i',
      email: 'a@x.example',
      email_verified: true,
      name: 'A',
      groups: ['support'],
    };
    expect(mergeClaims(idToken, null, 'groups')).toBe(idToken);
    // Groups only in userinfo (the ID token left them out): they count.
    expect(
      mergeClaims({ ...idToken, groups: undefined }, { sub: 's', groups: ['leads'] }, 'groups'),
    ).toMatchObject({
      email: 'a@x.example',
      email_verified: true,
      name: 'A',
      groups: ['leads'],
    });
    // A userinfo email comes with its own email_verified, never the ID token's.
    expect(mergeClaims(idToken, { sub: 's', email: 'b@x.example' }, 'groups')).toMatchObject({
      email: 'b@x.example',
      email_verified: undefined,
      groups: ['support'],
    });
    // Another groups claim name; the verified claims (iss, sub) are never taken from userinfo.
    expect(mergeClaims(idToken, { sub: 'other', iss: 'evil', roles: ['x'] }, 'roles')).toMatchObject({
      sub: 's',
      iss: 'i',
      roles: ['x'],
    });
  });
});
