import { ERROR_MESSAGES, type ErrorBody, type ErrorCode } from '../protocol/errors.js';

/** The one place that maps error codes to HTTP statuses. */
const STATUS: Record<ErrorCode, number> = {
  invalid_json: 400,
  invalid_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  not_found: 404,
  method_not_allowed: 405,
  unauthenticated: 401,
  forbidden: 403,
  invalid_credentials: 401,
  account_disabled: 403,
  session_expired: 401,
  mfa_required: 403,
  mfa_enrollment_required: 403,
  mfa_code_invalid: 400,
  mfa_already_enrolled: 409,
  mfa_not_enrolled: 409,
  mfa_totp_unreadable: 409,
  step_up_required: 403,
  passkey_invalid: 400,
  webauthn_challenge_invalid: 400,
  setup_token_invalid: 400,
  setup_complete: 409,
  email_taken: 409,
  weak_password: 400,
  cross_origin_refused: 403,
  host_not_allowed: 421,
  origin_not_allowed: 403,
  insecure_origin: 400,
  address_not_allowed: 403,
  widget_not_found: 404,
  credential_invalid: 401,
  ticket_invalid: 401,
  conversation_not_found: 404,
  conversation_closed: 409,
  message_too_long: 400,
  client_id_conflict: 409,
  token_invalid: 401,
  token_not_accepted: 403,
  identity_invalid: 401,
  identity_required: 401,
  rate_limited: 429,
  too_many_attempts: 429,
  invite_invalid: 400,
  reset_token_invalid: 400,
  common_password: 400,
  password_incorrect: 400,
  last_administrator: 409,
  cannot_change_self: 409,
  user_not_found: 404,
  article_not_found: 404,
  flow_not_found: 404,
  invalid_action: 400,
  part_not_allowed: 400,
  unknown_frame_type: 400,
  invalid_frame: 400,
  visitor_not_found: 404,
  archive_not_found: 404,
  retention_history_too_short: 400,
  query_not_found: 404,
  query_taken: 409,
  at_capacity: 409,
  query_closed: 409,
  resolution_code_unknown: 400,
  resolution_code_required: 400,
  status_change_refused: 409,
  snooze_in_past: 400,
  team_not_found: 404,
  team_name_taken: 409,
  shortcut_taken: 409,
  canned_response_not_found: 404,
  canned_variable_unknown: 400,
  label_not_found: 404,
  label_name_taken: 409,
  label_limit_reached: 409,
  resolution_code_taken: 409,
  rating_not_open: 409,
  email_not_configured: 409,
  email_unavailable: 409,
  email_too_soon: 429,
  unsubscribe_link_invalid: 400,
  message_empty: 400,
  attachment_empty: 400,
  attachment_type_not_allowed: 415,
  attachment_unreadable: 400,
  attachment_too_large: 413,
  attachment_image_too_large: 413,
  attachment_conversation_full: 409,
  attachment_quota_exceeded: 409,
  attachment_not_found: 404,
  attachment_masked: 403,
  attachment_infected: 422,
  attachment_scan_unavailable: 503,
  avatar_not_image: 415,
  prechat_not_enabled: 409,
  prechat_field_required: 400,
  consent_required: 400,
  privacy_url_invalid: 400,
  avatar_unreadable: 400,
  avatar_image_too_large: 413,
  avatar_not_found: 404,
  oidc_provider_not_found: 404,
  oidc_provider_limit: 409,
  oidc_issuer_insecure: 400,
  oidc_discovery_failed: 400,
  oidc_domain_taken: 409,
  oidc_provider_unavailable: 503,
  logout_token_invalid: 400,
  password_sign_in_off: 403,
  data_unreadable: 500,
  directory_unavailable: 503,
  directory_access_denied: 403,
  plain_ldap_refused: 400,
  directory_domain_taken: 409,
  client_certificate_required: 401,
  internal_error: 500,
  service_unavailable: 503,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: string[] | undefined;
  /** Sent as Retry-After on throttling answers. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    options: { details?: string[]; message?: string; retryAfterSeconds?: number } = {},
  ) {
    super(options.message ?? ERROR_MESSAGES[code]);
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return STATUS[this.code];
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.details?.length) error.details = this.details;
    return { error };
  }
}
