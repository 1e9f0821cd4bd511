/**
 * Props for an element that scrolls on its own (a wide table on a phone, a transcript): a named
 * region that takes focus, so a keyboard user can scroll it with the arrow keys (WCAG 2.1.1; axe's
 * "scrollable-region-focusable"). Focusable without being a control, which is what the rule asks.
 */
export const scrollableRegion = (label: string, role: 'region' | 'log' = 'region') =>
  ({ role, 'aria-label': label, tabIndex: 0 }) as const;
