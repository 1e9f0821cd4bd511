import type { SignInOptions } from '../../../protocol/sso.js';
import type { Db } from '../../platform/db/schema.js';
import { listAllProviders } from './provider.repository.js';

/**
 * The providers that serve an email's domain, for the sign-in screen's buttons. The answer depends
 * only on the domain, never on whether an account with that email exists.
 */
export async function signInOptions(o: { db: Db; email: string }): Promise<SignInOptions> {
  const domain = o.email.slice(o.email.lastIndexOf('@') + 1).toLowerCase();
  const providers = (await listAllProviders(o.db)).filter((p) =>
    (JSON.parse(p.domains) as string[]).includes(domain),
  );
  return { providers: providers.map((p) => ({ id: p.id, name: p.name })) };
}
