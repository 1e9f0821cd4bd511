/** Tables of the second-factor module (migration 2026-11-22-0004-mfa). Same conventions as schema.ts. */

export interface TotpCredentialsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  /** The base32 secret sealed under the master key ring (modules/mfa/totp-secret-seal.ts); never the secret itself. */
  secret_sealed: string;
  confirmed_at: string | null;
  last_used_step: number | null;
  created_at: string;
}

export interface RecoveryCodesTable {
  id: string;
  workspace_id: string;
  user_id: string;
  /** SHA-256 of the normalized code; the code itself is shown once and never stored. */
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

export interface PasskeysTable {
  id: string;
  workspace_id: string;
  user_id: string;
  /** base64url credential id, as WebAuthn reports it. */
  credential_id: string;
  /** base64url COSE public key. */
  public_key: string;
  /** bigint: PostgreSQL returns it as a string, so read it through Number(). */
  counter: number | string;
  /** JSON array of transport hints. */
  transports: string;
  device_type: string;
  backed_up: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export type ChallengePurpose = 'register' | 'sign-in' | 'second-factor';

export interface WebauthnChallengesTable {
  id: string;
  workspace_id: string | null;
  user_id: string | null;
  session_id: string | null;
  purpose: ChallengePurpose;
  challenge_hash: string;
  created_at: string;
  expires_at: string;
}

export interface MfaPoliciesTable {
  workspace_id: string;
  workspace_required: number;
  required_roles: string;
  updated_at: string;
}

export interface SessionFactorsTable {
  session_id: string;
  workspace_id: string;
  user_id: string;
  failures: number;
  verified_at: string | null;
  updated_at: string;
}

export interface MfaTables {
  totp_credentials: TotpCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  mfa_policies: MfaPoliciesTable;
  session_factors: SessionFactorsTable;
}
