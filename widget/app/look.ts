/**
 * The widget's look inside the frame. The frame page carries it as data attributes on #app (server:
 * widgets/frame-route.ts); here each colour is checked again and set as a CSS custom property on the
 * root through the CSSOM, which the frame's CSP (no 'unsafe-inline') allows, unlike a <style> text.
 */
export interface Look {
  /** The bot's avatar on Parley's origin, or null: its initial is shown. */
  avatarUrl: string | null;
  poweredBy: boolean;
}

const HEX = /^#[0-9a-fA-F]{6}$/;
const AVATAR = /^\/api\/v1\/widgets\/[0-9a-f-]{36}\/avatar\?v=\d+$/;

export function applyLook(data: DOMStringMap, root: HTMLElement = document.documentElement): Look {
  const set = (name: string, value: string | undefined): void => {
    if (value && HEX.test(value)) root.style.setProperty(name, value);
  };
  set('--pw-brand', data.brand);
  set('--pw-brand-dark', data.brand);
  set('--pw-on-brand', data.brandInk);
  set('--pw-brand-text', data.brandText);
  const avatar = data.avatar ?? '';
  return { avatarUrl: AVATAR.test(avatar) ? avatar : null, poweredBy: data.poweredBy === '1' };
}
