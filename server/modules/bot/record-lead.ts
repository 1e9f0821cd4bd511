import type { AttributeKind } from '../../../protocol/flows.js';
import { clock, nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { setVisitorProfile } from '../visitors/set-visitor-profile.js';

/**
 * What a flow collects goes into the visitor's profile, sealed under their data key, so retention
 * (visitor data TTL), export and erasure cover it like anything else the visitor told. A lead is
 * the profile's email plus `lead.*` fields: where it came from, when, and the consent given.
 */
interface Target {
  db: Db;
  vault: Vault;
  workspaceId: string;
  visitorId: string;
}

export async function recordAttribute(
  o: Target & { kind: AttributeKind; field: string | undefined; value: string; source: string },
): Promise<void> {
  const patch =
    o.kind === 'email'
      ? { email: o.value, custom: { 'lead.source': o.source, 'lead.at': nowIso() } }
      : o.kind === 'phone'
        ? { phone: o.value, ...(o.field ? { custom: { [o.field]: o.value } } : {}) }
        : { custom: { [o.field ?? o.kind]: o.value } };
  await setVisitorProfile({ ...o, patch, now: new Date(clock.now()) });
}

export async function recordConsent(o: Target & { granted: boolean; wording: string }): Promise<void> {
  await setVisitorProfile({
    ...o,
    patch: {
      custom: {
        'lead.consent': o.granted ? 'granted' : 'declined',
        'lead.consent_at': nowIso(),
        'lead.consent_text': o.wording.slice(0, 500),
      },
    },
    now: new Date(clock.now()),
  });
}
