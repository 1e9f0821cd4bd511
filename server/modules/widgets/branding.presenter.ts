import {
  BRANDING_DEFAULTS,
  brandInk,
  LAUNCHER_ICONS,
  type LauncherIcon,
  type PublicLauncher,
  type WidgetBranding,
} from '../../../protocol/branding.js';
import type { findBranding } from './branding.repository.js';

type BrandingRow = Awaited<ReturnType<typeof findBranding>>;

/** Where the bot's avatar is served; the version makes a new upload a new URL. */
export function avatarUrl(widgetId: string, version: number): string {
  return `/api/v1/widgets/${widgetId}/avatar?v=${version}`;
}

/** The widget's look; a widget nobody styled has Parley's defaults. */
export function presentBranding(widgetId: string, row: BrandingRow): WidgetBranding {
  const color = row?.color ?? BRANDING_DEFAULTS.color;
  return {
    color,
    ink: brandInk(color),
    position: row?.position ?? BRANDING_DEFAULTS.position,
    offsetX: row?.offset_x ?? BRANDING_DEFAULTS.offsetX,
    offsetY: row?.offset_y ?? BRANDING_DEFAULTS.offsetY,
    icon: iconOf(row?.icon),
    label: row?.label ?? BRANDING_DEFAULTS.label,
    poweredBy: row ? row.powered_by === 1 : BRANDING_DEFAULTS.poweredBy,
    avatarUrl: row?.has_avatar ? avatarUrl(widgetId, row.avatar_version) : null,
  };
}

/** What the loader draws the launcher with: the icon as its drawing, not its name. */
export function presentLauncher(branding: WidgetBranding): PublicLauncher {
  const { color, ink, position, offsetX, offsetY, icon, label } = branding;
  return { color, ink, position, offsetX, offsetY, icon: LAUNCHER_ICONS[icon], label };
}

function iconOf(name: string | undefined): LauncherIcon {
  return name !== undefined && Object.hasOwn(LAUNCHER_ICONS, name)
    ? (name as LauncherIcon)
    : BRANDING_DEFAULTS.icon;
}
