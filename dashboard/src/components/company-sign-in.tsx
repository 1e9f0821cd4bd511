import { useEffect, useState } from 'react';
import { type SignInOptions, SSO_ERRORS, type SsoErrorReason } from '../../../protocol/sso.js';
import { ssoApi } from '../sso-api.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Why the last company sign-in came back refused (`/login?sso_error=…`), in words. */
export function ssoErrorMessage(reason: string | null): string | null {
  if (!reason) return null;
  return reason in SSO_ERRORS ? SSO_ERRORS[reason as SsoErrorReason] : SSO_ERRORS.sso_failed;
}

/**
 * "Sign in with <provider>" for the domain of the email being typed. The server answers by domain
 * only, so the buttons say nothing about whether an account exists.
 */
export function CompanySignIn({ email }: { email: string }) {
  const [providers, setProviders] = useState<SignInOptions['providers']>([]);
  const domain = EMAIL.test(email.trim())
    ? email
        .trim()
        .slice(email.trim().lastIndexOf('@') + 1)
        .toLowerCase()
    : '';

  useEffect(() => {
    if (!domain) {
      setProviders([]);
      return;
    }
    let cancelled = false;
    // Wait for typing to pause: one request per domain, not per key.
    const timer = setTimeout(() => {
      ssoApi.options(`someone@${domain}`).then(
        (r) => !cancelled && setProviders(r.providers),
        () => !cancelled && setProviders([]),
      );
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [domain]);

  if (providers.length === 0) return null;
  return (
    <div className="company-sign-in" data-testid="company-sign-in">
      {providers.map((p) => (
        <a
          key={p.id}
          className="button button-primary button-block"
          href={ssoApi.startUrl(p.id)}
          data-testid="sso-button"
        >
          Sign in with {p.name}
        </a>
      ))}
    </div>
  );
}
