import { type Static, Type } from '@sinclair/typebox';
import { Me } from './api.js';
import { Id, IsoTime, Role } from './common.js';
import { Closed } from './responses.js';

/** Second factors (TOTP, recovery codes, passkeys) and the MFA policy. See docs/PROTOCOL.md §2.8. */

export const MFA_LIMITS = {
  /** Codes one 30-second step before or after the server's clock are accepted (RFC 6238 §5.2). */
  totpWindowSteps: 1,
  totpPeriodSeconds: 30,
  totpDigits: 6,
  recoveryCodeCount: 10,
  /** Wrong second-factor attempts a session may make before it ends. */
  maxFailuresPerSession: 5,
  /** Wrong attempts on one account (all its sessions) within an hour before the second factor pauses. */
  maxFailuresPerUserHour: 10,
  /** A TOTP setup not confirmed within this time has to be started again. */
  enrollmentTtlMs: 15 * 60_000,
  /** WebAuthn challenges are single-use and expire after this. */
  challengeTtlMs: 5 * 60_000,
  /** Removing a factor or regenerating recovery codes needs a second factor proven this recently. */
  recentVerificationMs: 10 * 60_000,
  maxPasskeysPerUser: 20,
  maxPasskeyNameChars: 60,
} as const;

const Base64Url = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+$' });

/** Six digits from the authenticator app. */
export const TotpCode = Type.String({ pattern: '^[0-9]{6}$' });
/** A TOTP code or a recovery code; spaces and dashes are ignored. */
export const SecondFactorCode = Type.String({ minLength: 6, maxLength: 40, pattern: '^[A-Za-z0-9 -]+$' });

export const SecondFactorBody = Type.Object({ code: SecondFactorCode }, { additionalProperties: false });
export type SecondFactorBody = Static<typeof SecondFactorBody>;

export const TotpConfirmBody = Type.Object({ code: TotpCode }, { additionalProperties: false });
export type TotpConfirmBody = Static<typeof TotpConfirmBody>;

/** For actions that need a recently proven second factor: a current TOTP code proves it on the spot. */
export const StepUpBody = Type.Object({ code: Type.Optional(TotpCode) }, { additionalProperties: false });
export type StepUpBody = Static<typeof StepUpBody>;

/** Shown once, at setup; the secret is never returned again. */
export const TotpEnrollment = Closed({
  secret: Type.String(),
  otpauthUri: Type.String(),
  expiresAt: IsoTime,
});
export type TotpEnrollment = Static<typeof TotpEnrollment>;

/** Shown once, when created; only their hashes are kept. */
export const RecoveryCodes = Closed({ recoveryCodes: Type.Array(Type.String()) });
export type RecoveryCodes = Static<typeof RecoveryCodes>;

export const TotpConfirmed = Closed({ recoveryCodes: Type.Array(Type.String()), me: Me });
export type TotpConfirmed = Static<typeof TotpConfirmed>;

export const MfaStatus = Closed({
  totp: Type.Boolean(),
  recoveryCodesLeft: Type.Integer(),
  passkeys: Type.Integer(),
  /** The workspace's policy requires MFA for this user. */
  required: Type.Boolean(),
  /** A second factor was proven on this session recently enough to remove factors without a code. */
  recentlyVerified: Type.Boolean(),
});
export type MfaStatus = Static<typeof MfaStatus>;

export const MfaPolicy = Type.Object(
  {
    /** Everyone in the workspace, whatever their role. */
    workspace: Type.Boolean(),
    roles: Type.Array(Role, { maxItems: 3, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type MfaPolicy = Static<typeof MfaPolicy>;

export const PasskeyName = Type.String({ minLength: 1, maxLength: MFA_LIMITS.maxPasskeyNameChars });

export const Passkey = Closed({
  id: Id,
  name: Type.String(),
  createdAt: IsoTime,
  lastUsedAt: Type.Union([IsoTime, Type.Null()]),
  /** Synced between the user's devices by their platform (e.g. a password manager or phone). */
  synced: Type.Boolean(),
});
export type Passkey = Static<typeof Passkey>;

/** The JSON form of a WebAuthn registration (navigator.credentials.create) result. */
export const RegistrationResponse = Type.Object(
  {
    id: Base64Url(1400),
    rawId: Base64Url(1400),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: Base64Url(4096),
        attestationObject: Base64Url(32_768),
        authenticatorData: Type.Optional(Base64Url(8192)),
        transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(Base64Url(8192)),
      },
      { additionalProperties: false },
    ),
    authenticatorAttachment: Type.Optional(
      Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]),
    ),
    clientExtensionResults: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);

/** The JSON form of a WebAuthn assertion (navigator.credentials.get) result. */
export const AuthenticationResponse = Type.Object(
  {
    id: Base64Url(1400),
    rawId: Base64Url(1400),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: Base64Url(4096),
        authenticatorData: Base64Url(8192),
        signature: Base64Url(8192),
        userHandle: Type.Optional(Base64Url(200)),
      },
      { additionalProperties: false },
    ),
    authenticatorAttachment: Type.Optional(
      Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]),
    ),
    clientExtensionResults: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);

export const PasskeyRegistrationBody = Type.Object(
  { name: PasskeyName, response: RegistrationResponse },
  { additionalProperties: false },
);
export type PasskeyRegistrationBody = Static<typeof PasskeyRegistrationBody>;

export const PasskeyRenameBody = Type.Object({ name: PasskeyName }, { additionalProperties: false });
export type PasskeyRenameBody = Static<typeof PasskeyRenameBody>;

export const PasskeyAssertionBody = Type.Object(
  { response: AuthenticationResponse },
  { additionalProperties: false },
);
export type PasskeyAssertionBody = Static<typeof PasskeyAssertionBody>;

export const PasskeyAdded = Closed({ passkey: Passkey, me: Me });
export type PasskeyAdded = Static<typeof PasskeyAdded>;

const CredentialDescriptor = Closed({
  id: Type.String(),
  type: Type.String(),
  transports: Type.Optional(Type.Array(Type.String())),
});

/** What navigator.credentials.create() needs to register a passkey (WebAuthn's JSON form). */
export const PasskeyCreationOptions = Closed({
  challenge: Type.String(),
  rp: Closed({ name: Type.String(), id: Type.Optional(Type.String()) }),
  user: Closed({ id: Type.String(), name: Type.String(), displayName: Type.String() }),
  pubKeyCredParams: Type.Array(Closed({ alg: Type.Integer(), type: Type.String() })),
  timeout: Type.Optional(Type.Integer()),
  attestation: Type.Optional(Type.String()),
  excludeCredentials: Type.Optional(Type.Array(CredentialDescriptor)),
  authenticatorSelection: Type.Optional(
    Closed({
      authenticatorAttachment: Type.Optional(Type.String()),
      residentKey: Type.Optional(Type.String()),
      requireResidentKey: Type.Optional(Type.Boolean()),
      userVerification: Type.Optional(Type.String()),
    }),
  ),
  extensions: Type.Optional(Closed({ credProps: Type.Optional(Type.Boolean()) })),
  hints: Type.Optional(Type.Array(Type.String())),
});

/** What navigator.credentials.get() needs to prove a passkey (WebAuthn's JSON form). */
export const PasskeyRequestOptions = Closed({
  challenge: Type.String(),
  rpId: Type.Optional(Type.String()),
  timeout: Type.Optional(Type.Integer()),
  allowCredentials: Type.Optional(Type.Array(CredentialDescriptor)),
  userVerification: Type.Optional(Type.String()),
  hints: Type.Optional(Type.Array(Type.String())),
});
