import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * One `vite build --config widget/vite.config.ts` builds both parts of the widget into dist/widget/:
 * - widget.js: the loader host pages include; one classic (IIFE) script, no module syntax.
 * - widget-chat.js: the chat's frame, a second classic script the loader adds once the chat is needed.
 * - widget-tip.js: the proactive message, a second classic script the loader adds only for a widget
 *   whose rule is on (served beside widget.js, from the same origin).
 * - app.js + app.css: the iframe app (ES module), and the chunks it imports only when needed (one
 *   small catalogue per non-English language; the upload code, the first time a visitor attaches a
 *   file), named by their content hash.
 * app.js's name is fixed: the server serves it with `?v=<content hash>` itself. A lazy chunk must not
 * import from app.js (it would load a second copy without `?v=`): it shares only plain protocol/
 * constants of its own, and e2e/attachments-ui.e2e.test.ts checks app.js is fetched once.
 */
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const outDir = here('../dist/widget');

export default defineConfig({
  root: here('.'),
  base: '/widget-assets/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', minify: true, sourcemap: false, modulePreload: false, copyPublicDir: false },
  builder: {
    async buildApp(builder) {
      const { loader, chat, tip, app } = builder.environments;
      if (!loader || !chat || !tip || !app) throw new Error('widget build environments missing');
      await builder.build(loader);
      await builder.build(chat);
      await builder.build(tip);
      await builder.build(app);
    },
  },
  environments: {
    loader: {
      consumer: 'client',
      build: {
        outDir,
        emptyOutDir: true,
        lib: {
          entry: here('loader/loader.ts'),
          formats: ['iife'],
          name: 'parleyLoader',
          fileName: () => 'widget.js',
        },
      },
    },
    chat: {
      consumer: 'client',
      build: {
        outDir,
        emptyOutDir: false,
        lib: {
          entry: here('loader/chat.ts'),
          formats: ['iife'],
          name: 'parleyChat',
          fileName: () => 'widget-chat.js',
        },
      },
    },
    tip: {
      consumer: 'client',
      build: {
        outDir,
        emptyOutDir: false,
        lib: {
          entry: here('loader/tip.ts'),
          formats: ['iife'],
          name: 'parleyTip',
          fileName: () => 'widget-tip.js',
        },
      },
    },
    app: {
      consumer: 'client',
      build: {
        outDir,
        emptyOutDir: false,
        cssCodeSplit: false,
        assetsInlineLimit: 0,
        rolldownOptions: {
          input: here('app/main.tsx'),
          output: {
            format: 'es',
            entryFileNames: 'app.js',
            chunkFileNames: '[name]-[hash].js',
            assetFileNames: 'app[extname]',
          },
        },
      },
    },
  },
});
