/** A widget's look (migration 2026-12-05-0601-widget-branding). */
export interface WidgetBrandingTable {
  widget_id: string;
  workspace_id: string;
  /** `#rrggbb`, lower case. */
  color: string;
  position: 'left' | 'right';
  offset_x: number;
  offset_y: number;
  /** A key of LAUNCHER_ICONS (protocol/branding.ts). */
  icon: string;
  label: string;
  /** 1: "Powered by Parley" under the chat. */
  powered_by: number;
  /** The bot's avatar as a re-encoded PNG; null: the bot's initial is shown. */
  avatar: Buffer | null;
  /** Bumped by every upload and removal: part of the avatar's URL. */
  avatar_version: number;
  updated_at: string;
}

export interface BrandingTables {
  widget_branding: WidgetBrandingTable;
}

/** A widget's pre-chat form (migration 2026-12-06-1101-prechat-form). */
export interface WidgetPrechatTable {
  widget_id: string;
  workspace_id: string;
  /** 1: the form is shown before the visitor's first message. */
  enabled: number;
  /** Each one of PRECHAT_MODES (protocol/prechat.ts). */
  name_field: string;
  email_field: string;
  consent_field: string;
  /** `https://` only; null when no consent is asked. */
  privacy_url: string | null;
  updated_at: string;
}

/** A widget's proactive message rule (migration 2026-12-06-1102-proactive-message). */
export interface WidgetProactiveTable {
  widget_id: string;
  workspace_id: string;
  enabled: number;
  delay_seconds: number;
  /** A safe glob (protocol/proactive.ts `pathMatches`), never a regular expression. */
  path_glob: string;
  /** In the widget's default language. */
  text: string;
  /** JSON `{lang: text}`; null when none. */
  text_translations: string | null;
  /** Bumped by every change: "once per visitor" is once per version. */
  version: number;
  updated_at: string;
}

export interface PrechatTables {
  widget_prechat: WidgetPrechatTable;
  widget_proactive: WidgetProactiveTable;
}
