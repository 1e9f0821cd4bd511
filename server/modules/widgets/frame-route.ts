import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  BRANDING_DEFAULTS,
  brandTextOnWhite,
  HEX_COLOR,
  type WidgetBranding,
} from '../../../protocol/branding.js';
import { Id } from '../../../protocol/common.js';
import { RTL_LANGUAGES } from '../../../protocol/languages.js';
import { Raw } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { languageOf } from '../../i18n/visitor-texts.js';
import {
  CALLS_PERMISSIONS_POLICY,
  contentSecurityPolicy,
  PERMISSIONS_POLICY,
} from '../../platform/http/security-headers.js';
import type { BuiltAssets } from '../../platform/http/static-routes.js';
import { typed } from '../../platform/http/typed-routes.js';
import { presentBranding } from './branding.presenter.js';
import { findBranding } from './branding.repository.js';
import { allowedOriginsOf } from './widget.presenter.js';
import { findWidgetById } from './widget.repository.js';

/**
 * The chat iframe's document. Its CSP `frame-ancestors` lists exactly the widget's allowed origins,
 * so a browser refuses to show it inside any other site.
 */
export async function widgetFrameRoute(
  root: FastifyInstance,
  options: { assets: BuiltAssets },
): Promise<void> {
  const app = typed(root);
  app.get(
    '/w/:widgetId',
    {
      schema: { params: Type.Object({ widgetId: Id }), response: { 200: Raw('text/html') } },
      config: { access: { kind: 'public' } },
    },
    async (request, reply) => {
      const widget = await findWidgetById(app.db, request.params.widgetId);
      if (!widget) throw new AppError('widget_not_found');
      const js = options.assets.widget.get('app.js');
      const css = options.assets.widget.get('app.css');
      if (!js)
        throw new AppError('service_unavailable', {
          message: 'The widget is not built. Run `npm run build`.',
        });
      const ancestors = allowedOriginsOf(widget);
      const look = frameLook(presentBranding(widget.id, await findBranding(app.db, widget.id)));
      reply
        .header('content-security-policy', contentSecurityPolicy(app.config, 'widget-frame', ancestors))
        .header('cross-origin-resource-policy', 'cross-origin')
        // Calls on: the frame may use camera and microphone, if the host page's iframe allows them too
        // (the loader's `allow`, set only then). Otherwise both stay denied, as on every other page.
        .header(
          'permissions-policy',
          widget.calls_enabled === 1 ? CALLS_PERMISSIONS_POLICY : PERMISSIONS_POLICY,
        )
        .header('cache-control', 'no-store')
        .header('content-type', 'text/html; charset=utf-8');
      // Only the widget id (a validated UUID), its language settings (a code of the supported list,
      // read through languageOf; a boolean) and the look (frameLook: hex colours, a flag, a URL made of
      // the id and a number) are interpolated; nothing an administrator typed.
      const lang = languageOf(widget.default_language);
      const always = widget.always_default_language === 1;
      return `<!doctype html>
<html lang="${lang}" dir="${RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat</title>
${css ? `<link rel="stylesheet" href="/widget-assets/app.css?v=${css.version}">` : ''}
<script type="module" src="/widget-assets/app.js?v=${js.version}"></script>
</head>
<body>
<div id="app" data-widget-id="${widget.id}" data-default-language="${lang}" data-always-language="${always}"${look}></div>
</body>
</html>
`;
    },
  );
}

/**
 * The look as data attributes the frame's script turns into CSS custom properties
 * (widget/app/look.ts): no style text in the page. Each value is checked again here, so a row
 * written some other way still cannot break out of its attribute.
 */
function frameLook(b: WidgetBranding): string {
  const hex = (c: string) => (HEX_COLOR.test(c) ? c : BRANDING_DEFAULTS.color);
  const attrs = [
    ` data-brand="${hex(b.color)}"`,
    ` data-brand-ink="${hex(b.ink)}"`,
    ` data-brand-text="${hex(brandTextOnWhite(b.color))}"`,
    b.poweredBy ? ' data-powered-by="1"' : '',
    b.avatarUrl && /^\/api\/v1\/widgets\/[0-9a-f-]{36}\/avatar\?v=\d+$/.test(b.avatarUrl)
      ? ` data-avatar="${b.avatarUrl}"`
      : '',
  ];
  return attrs.join('');
}
