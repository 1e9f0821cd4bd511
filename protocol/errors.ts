/**
 * Stable error codes. Clients branch on `code`; `message` is for people and may be reworded.
 * HTTP statuses for each code live in server/errors.ts; WebSocket errors carry the same codes.
 */
export const ERROR_MESSAGES = {
  invalid_json: 'The request body is not valid JSON.',
  invalid_request: 'The request does not have the expected shape.',
  unsupported_media_type: 'Send the request body as application/json.',
  payload_too_large: 'The request body is too large.',
  not_found: 'Nothing was found at this address.',
  method_not_allowed: 'This address does not accept that method.',
  unauthenticated: 'Sign in to continue.',
  forbidden: 'You do not have permission to do that.',
  invalid_credentials: 'The email or password is incorrect.',
  account_disabled: 'This account is disabled.',
  session_expired: 'Your session has ended. Sign in again.',
  mfa_required: 'Confirm your sign-in with your second factor first.',
  mfa_enrollment_required: 'Set up two-factor authentication before you continue.',
  mfa_code_invalid: 'That code is not right, or it was already used. Wait for a new code and try again.',
  mfa_already_enrolled: 'An authenticator app is already set up for this account.',
  mfa_not_enrolled: 'This two-factor method is not set up for this account.',
  mfa_totp_unreadable:
    'Your authenticator app cannot be checked on this server: its setup was sealed with a key this server does not have. Use a recovery code or a passkey, then set up the authenticator app again.',
  step_up_required: 'Confirm it is you with your second factor first.',
  passkey_invalid: 'The passkey could not be verified.',
  webauthn_challenge_invalid: 'This passkey request expired or was already used. Try again.',
  setup_token_invalid: 'This setup link is invalid, expired or already used.',
  setup_complete: 'Parley is already set up.',
  email_taken: 'An account with this email already exists.',
  weak_password: 'Choose a longer password.',
  cross_origin_refused: 'This request came from an origin Parley does not accept.',
  host_not_allowed: 'This server does not answer for that host name.',
  origin_not_allowed: 'This website is not allowed to use this chat widget.',
  insecure_origin:
    'A plain http:// site cannot embed the chat of an https:// Parley: its pages could be rewritten on the way. Use its https:// address, or allow insecure origins for this widget.',
  address_not_allowed: 'Administration is not available from your network address.',
  widget_not_found: 'This chat widget does not exist.',
  credential_invalid: 'The visitor credential is invalid or has expired.',
  ticket_invalid: 'The connection ticket is invalid, expired or already used.',
  conversation_not_found: 'This conversation does not exist.',
  conversation_closed: 'This conversation is closed.',
  message_too_long: 'The message is too long.',
  client_id_conflict: 'This client id was already used for a different message.',
  token_invalid: 'The API token is invalid, expired or revoked.',
  token_not_accepted: 'This endpoint does not accept API tokens.',
  identity_invalid: 'The signed-in user could not be verified. Reload the page and try again.',
  identity_required: 'Sign in on this website to chat with us.',
  rate_limited: 'Too many requests. Slow down and try again shortly.',
  too_many_attempts: 'Too many attempts. Wait a few minutes, then try again.',
  invite_invalid: 'This invitation link is invalid, expired or already used. Ask for a new one.',
  reset_token_invalid: 'This password reset link is invalid, expired or already used. Request a new one.',
  common_password: 'This password is too common. Choose one that is harder to guess.',
  password_incorrect: 'Your current password is not correct.',
  last_administrator: 'A workspace needs at least one active administrator.',
  cannot_change_self: 'You cannot change your own role or disable or delete your own account.',
  user_not_found: 'This user does not exist.',
  article_not_found: 'This knowledge-base article does not exist.',
  flow_not_found: 'This flow does not exist.',
  invalid_action: 'This quick reply does not belong to that message.',
  part_not_allowed:
    'Only Parley’s bot can add sources, rating requests and quick-reply buttons to a message; send cards or text.',
  unknown_frame_type: 'This frame type is not part of the protocol.',
  invalid_frame: 'The frame does not have the expected shape.',
  visitor_not_found: 'This visitor does not exist.',
  archive_not_found: 'This archived conversation does not exist.',
  retention_history_too_short:
    'Keep history at least 24 hours while conversations are handed to operators, so they have the context.',
  data_unreadable:
    'Stored data could not be decrypted: it was altered or moved, or its key is missing from the key ring.',
  query_not_found: 'This query does not exist.',
  query_taken: 'Someone else took this query first, or it changed state. Reload the queue.',
  at_capacity: 'This operator already holds as many queries as their capacity allows.',
  query_closed: 'This query is already resolved or abandoned.',
  resolution_code_unknown: 'Choose one of the workspace’s resolution codes.',
  resolution_code_required: 'This workspace asks for a resolution code: choose one to resolve.',
  status_change_refused:
    'The conversation cannot move to that status from the one it is in now. Reload it and try again.',
  snooze_in_past: 'Choose a time in the future to snooze until.',
  team_not_found: 'This team does not exist.',
  team_name_taken: 'A team with this name already exists.',
  shortcut_taken: 'A canned response with this shortcut already exists.',
  canned_response_not_found: 'This canned response does not exist.',
  canned_variable_unknown: 'The response uses a variable Parley does not know.',
  label_not_found: 'This label does not exist.',
  label_name_taken: 'A label with this name already exists.',
  label_limit_reached: 'There are already as many labels as allowed.',
  resolution_code_taken: 'This resolution code already exists.',
  rating_not_open: 'There is no resolved conversation to rate, or it was already rated.',
  message_empty: 'Write a message or attach a file.',
  attachment_empty: 'This file is empty. Choose another file.',
  attachment_type_not_allowed:
    'This kind of file cannot be sent here. Send an image (PNG, JPEG, GIF, WebP), a PDF, a text file or an office document, as this workspace allows.',
  attachment_unreadable:
    'This file could not be read as the kind of file it starts like: it may be damaged. Save it again and retry.',
  attachment_too_large: 'This file is larger than the limit for one file. Send a smaller file.',
  attachment_image_too_large:
    'This image has too many pixels to be processed safely. Send a smaller image or a screenshot of part of it.',
  attachment_conversation_full:
    'This conversation already holds as many files as it may. Start a new conversation to send more.',
  attachment_quota_exceeded:
    'This workspace has used all the storage it has for files. An administrator can free space or raise the limit.',
  attachment_not_found: 'This file does not exist, or it was deleted.',
  attachment_masked:
    'Files the visitor sent may hold personal data, which your role does not show. Ask a supervisor or an administrator.',
  email_not_configured:
    'Parley sends no mail to visitors here: an administrator has to set up an SMTP server (PARLEY_SMTP_URL).',
  email_unavailable:
    'There is no email address to send to: the visitor left none, it expired, or they unsubscribed.',
  email_too_soon: 'A transcript was mailed a moment ago. Wait a few minutes before asking again.',
  unsubscribe_link_invalid: 'This unsubscribe link is not valid. Use the link from the latest mail.',
  avatar_not_image: 'An avatar must be a PNG, JPEG or WebP image. Choose another file.',
  prechat_not_enabled: 'This chat asks no details before the first message.',
  prechat_field_required: 'Fill in the fields this chat requires, or skip them and just ask your question.',
  consent_required:
    'Tick the box to agree to the privacy policy, or skip the details and just ask your question.',
  privacy_url_invalid:
    'Give the privacy policy as a full https:// address (for example https://example.com/privacy); it is required when the form asks for consent.',
  avatar_unreadable: 'This image could not be read: it may be damaged. Save it again and retry.',
  avatar_image_too_large:
    'This image has too many pixels to be processed safely. Choose an image under 4096 × 4096 pixels.',
  avatar_not_found: 'This widget has no avatar.',
  oidc_provider_not_found: 'No such sign-in provider in this workspace.',
  oidc_provider_limit: 'This workspace has as many sign-in providers as it may have. Remove one first.',
  oidc_issuer_insecure:
    'The issuer must be an https:// address (plain http:// only for a provider on this same machine).',
  oidc_discovery_failed:
    'The provider’s OpenID Connect discovery document could not be read at <issuer>/.well-known/openid-configuration. Check the issuer URL and that this server can reach it.',
  oidc_domain_taken: 'Another workspace already signs in people of this email domain.',
  oidc_provider_unavailable: 'The company sign-in provider cannot be reached right now. Try again later.',
  logout_token_invalid: 'The logout token did not verify.',
  password_sign_in_off:
    'This workspace signs in with its company account only. Use the company sign-in button.',
  directory_unavailable:
    'The company directory cannot be reached, so your password cannot be checked. Try again in a few minutes, or ask an administrator.',
  directory_access_denied:
    'The company directory does not give your account access to Parley (it is disabled, or in no group mapped to a role). Ask an administrator.',
  plain_ldap_refused:
    'This directory would be reached without encryption. Use ldaps://, or ldap:// with StartTLS; plain LDAP needs PARLEY_LDAP_ALLOW_PLAIN=true on the server.',
  directory_domain_taken:
    'Another workspace already signs in people at this email domain through its directory.',
  client_certificate_required:
    'This API token can only be used with the client certificate it is bound to, and the request did not come with it.',
  calls_disabled:
    'Calls are not turned on for this conversation’s widget. An administrator can turn them on.',
  call_not_found: 'This call does not exist, or it has ended.',
  call_in_progress: 'A call is already ringing or going on in this conversation. End it first.',
  call_token_invalid:
    'This call token is invalid, expired or already used, or it was issued to another connection. Ask for a new one.',
  call_taken: 'This call was already joined from another device or tab.',
  call_not_joined: 'Join the call before sending call signals to it.',
  signal_too_large: 'This call signal is too large.',
  signal_invalid: 'This call signal is not a valid session description or ICE candidate.',
  channel_not_found: 'This channel does not exist.',
  channel_limit: 'This workspace has as many channels as it may have. Remove one first.',
  channel_credentials_missing:
    'This kind of channel needs more from the platform: Telegram the bot token; WhatsApp the access token, the app secret and the phone number id; Messenger and Instagram the page access token and the app secret; email the address customers write to.',
  webhook_signature_invalid:
    'This webhook request was not signed by the platform with this channel’s secret. Nothing was stored.',
  webhook_verification_failed:
    'The verify token does not match this channel’s. Copy it again from Parley’s channel setup.',
  channel_window_closed:
    'This customer’s last message is more than 24 hours old, and the platform lets businesses reply only within 24 hours of it. The reply was not sent. It can be sent as soon as the customer writes again.',
  channel_address_taken:
    'Another email channel already receives mail at this address. Each address can belong to one channel only.',
  email_channel_unavailable:
    'Email channels need Parley’s SMTP listener (PARLEY_SMTP_INBOUND_PORT and PARLEY_SMTP_INBOUND_DOMAIN) to receive mail and an SMTP server (PARLEY_SMTP_URL) to send replies. Ask whoever runs Parley to set them.',
  internal_error: 'Something went wrong on our side. Try again.',
  attachment_infected:
    'This file was not accepted: the malware scanner found something harmful in it. Nothing was stored.',
  attachment_scan_unavailable:
    'Files cannot be checked for malware right now, so this one was not accepted. Try again in a few minutes.',
  service_unavailable: 'The service is temporarily unavailable. Try again shortly.',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: string[] };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_MESSAGES, value);
}
