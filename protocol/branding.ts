import { type Static, Type } from '@sinclair/typebox';
import { Closed } from './responses.js';

/**
 * How a widget looks: its colour, where its launcher sits, what the launcher shows, the bot's avatar
 * and whether "Powered by Parley" is shown. Every value that reaches CSS is one of a closed set or a
 * strict `#rrggbb`, so nothing an administrator types is ever CSS (or markup) itself.
 * See docs/PROTOCOL.md §3.
 */

export const BRANDING_LIMITS = {
  /** Pixels from the window's edge: enough room for a cookie bar, never off screen. */
  maxOffset: 160,
  maxLabelChars: 24,
  /** The uploaded avatar, before re-encoding. */
  maxAvatarBytes: 1024 * 1024,
  /** Decoded pixels of the uploaded avatar: a larger image (a decompression bomb) is refused from its header. */
  maxAvatarPixels: 4096 * 4096,
  /** The stored avatar's side, in pixels (shown at 36 px, so sharp on a 3× display). */
  avatarSize: 128,
} as const;

/**
 * The launcher's icons: a small built-in set of one-path drawings (24×24, stroked). An administrator
 * picks a name; the drawing travels from here, never from them.
 */
export const LAUNCHER_ICONS = {
  chat: 'M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z',
  help: 'M12 21a9 9 0 1 1 0-18 9 9 0 0 1 0 18zM9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5V14m0 3v.01',
  mail: 'M3 6h18v12H3zM3 7l9 6 9-6',
  headset: 'M4 15v-3a8 8 0 0 1 16 0v3M4 15h3v5H4zM17 15h3v5h-3z',
} as const;
export type LauncherIcon = keyof typeof LAUNCHER_ICONS;

export const BRANDING_DEFAULTS = {
  color: '#4f46e5',
  position: 'right',
  offsetX: 20,
  offsetY: 20,
  icon: 'chat',
  label: '',
  poweredBy: true,
} as const satisfies WidgetBrandingBody;

/** `#rrggbb`, nothing else: no names, no short form, no alpha, no functions. */
export const HexColor = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', minLength: 7, maxLength: 7 });
export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

const Offset = Type.Integer({ minimum: 0, maximum: BRANDING_LIMITS.maxOffset });
const Position = Type.Union([Type.Literal('left'), Type.Literal('right')]);
const Icon = Type.Union(Object.keys(LAUNCHER_ICONS).map((k) => Type.Literal(k as LauncherIcon)));

export const WidgetBrandingBody = Type.Object(
  {
    color: HexColor,
    position: Position,
    /** From the left or right edge, as `position` says. */
    offsetX: Offset,
    /** From the bottom edge. */
    offsetY: Offset,
    icon: Icon,
    /** A short text beside the icon ("Chat with us"); empty: the round icon button alone. */
    label: Type.String({
      maxLength: BRANDING_LIMITS.maxLabelChars,
      // Text only: no control characters (line breaks among them).
      pattern: '^[^\\u0000-\\u001f\\u007f]*$',
    }),
    poweredBy: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type WidgetBrandingBody = Static<typeof WidgetBrandingBody>;

export const WidgetBranding = Closed({
  color: Type.String(),
  /** The text colour on `color`, picked for contrast (brandInk). */
  ink: Type.String(),
  position: Position,
  offsetX: Type.Integer(),
  offsetY: Type.Integer(),
  icon: Icon,
  label: Type.String(),
  poweredBy: Type.Boolean(),
  /** Where the bot's avatar is served (Parley's origin, versioned); null: its initial is shown. */
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
});
export type WidgetBranding = Static<typeof WidgetBranding>;

/** What the loader on the host page needs to draw the launcher (GET /api/v1/widgets/:id/public). */
export const PublicLauncher = Closed({
  color: Type.String(),
  ink: Type.String(),
  position: Position,
  offsetX: Type.Integer(),
  offsetY: Type.Integer(),
  /** The icon's drawing (an SVG path from LAUNCHER_ICONS). */
  icon: Type.String(),
  label: Type.String(),
});
export type PublicLauncher = Static<typeof PublicLauncher>;

/** WCAG 2 relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const channel = (i: number): number => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** WCAG AA for normal text. */
export const AA_TEXT = 4.5;

/**
 * The text colour on the brand colour: white where white reaches AA, black otherwise. Every colour
 * reaches AA with one of the two (white fails only below luminance 0.183, where black gives over
 * 4.6:1), so no colour is refused: the widget picks, and the dashboard says which and why.
 */
export function brandInk(color: string): '#ffffff' | '#000000' {
  return contrastRatio(color, '#ffffff') >= AA_TEXT ? '#ffffff' : '#000000';
}

/**
 * The brand colour where it is text on white (quick-reply buttons): itself where it reaches AA on
 * white, else near-black, so a light brand colour never makes text that cannot be read.
 */
export function brandTextOnWhite(color: string): string {
  return contrastRatio(color, '#ffffff') >= AA_TEXT ? color.toLowerCase() : '#111827';
}
