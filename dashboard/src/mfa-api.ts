import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import type {
  Me,
  MfaPolicy,
  MfaStatus,
  Passkey,
  PasskeyAdded,
  RecoveryCodes,
  TotpConfirmed,
  TotpEnrollment,
} from '../../protocol/index.js';
import { ApiError, request } from './api.js';

/** Second factors, passkeys and the MFA policy (see docs/PROTOCOL.md §2.8). */

const assertion = (optionsJSON: PublicKeyCredentialRequestOptionsJSON) =>
  startAuthentication({ optionsJSON }).catch(ceremonyFailed);

/**
 * The browser's own errors (the person closed the dialog, no passkey on this device) become one
 * readable message; nothing was sent to the server.
 */
function ceremonyFailed(e: unknown): never {
  const name = e instanceof Error ? e.name : '';
  const message =
    name === 'NotAllowedError' || name === 'AbortError'
      ? 'The passkey request was cancelled or timed out.'
      : name === 'InvalidStateError'
        ? 'This device already holds a passkey for your account.'
        : 'This browser could not use a passkey here.';
  throw new ApiError(0, 'http_error', message);
}

export const mfaApi = {
  status: () => request<MfaStatus>('GET', '/auth/mfa'),
  verifyCode: (code: string) => request<Me>('POST', '/auth/mfa/verify', { code }),
  verifyPasskey: async () => {
    const options = await request<PublicKeyCredentialRequestOptionsJSON>('POST', '/auth/mfa/passkey/options');
    const response: AuthenticationResponseJSON = await assertion(options);
    return request<Me>('POST', '/auth/mfa/passkey/verify', { response });
  },
  /** Passwordless sign-in with a discoverable passkey (this device or a phone via QR code). */
  signInWithPasskey: async () => {
    const options = await request<PublicKeyCredentialRequestOptionsJSON>(
      'POST',
      '/auth/passkey/options',
      {},
      { noAuthRedirect: true },
    );
    const response = await assertion(options);
    return request<Me>('POST', '/auth/passkey/verify', { response }, { noAuthRedirect: true });
  },

  startTotp: () => request<TotpEnrollment>('POST', '/auth/totp/enrollment'),
  confirmTotp: (code: string) => request<TotpConfirmed>('POST', '/auth/totp/enrollment/confirm', { code }),
  removeTotp: (code?: string) => request<void>('DELETE', '/auth/totp', code ? { code } : {}),
  regenerateRecoveryCodes: (code?: string) =>
    request<RecoveryCodes>('POST', '/auth/recovery-codes', code ? { code } : {}),

  listPasskeys: () => request<{ items: Passkey[] }>('GET', '/auth/passkeys').then((r) => r.items),
  addPasskey: async (name: string) => {
    const options = await request<PublicKeyCredentialCreationOptionsJSON>(
      'POST',
      '/auth/passkeys/registration/options',
    );
    const response = await startRegistration({ optionsJSON: options }).catch(ceremonyFailed);
    return request<PasskeyAdded>('POST', '/auth/passkeys', { name, response });
  },
  renamePasskey: (id: string, name: string) =>
    request<Passkey>('PATCH', `/auth/passkeys/${encodeURIComponent(id)}`, { name }),
  removePasskey: (id: string, code?: string) =>
    request<void>('DELETE', `/auth/passkeys/${encodeURIComponent(id)}`, code ? { code } : {}),

  getPolicy: (wid: string) =>
    request<MfaPolicy>('GET', `/workspaces/${encodeURIComponent(wid)}/security/mfa-policy`),
  setPolicy: (wid: string, policy: MfaPolicy) =>
    request<MfaPolicy>('PUT', `/workspaces/${encodeURIComponent(wid)}/security/mfa-policy`, policy),
};
