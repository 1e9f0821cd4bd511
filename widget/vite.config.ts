import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * One `vite build --config widget/vite.config.ts` builds both parts of the widget into dist/widget/:
 * - widget.js: the loader host pages include; one classic (IIFE) script, no module syntax.
 * - app.js + app.css: the iframe app (ES module), and one small chunk per non-English catalogue.
 * File names are fixed: the server serves them with `?v=<content hash>` itself.
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
      const { loader, app } = builder.environments;
      if (!loader || !app) throw new Error('widget build environments missing');
      await builder.build(loader);
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
            assetFileNames: 'app[extname]',
            // Only the catalogues of languages other than English are split off (dynamic imports in
            // i18n/index.ts): a visitor loads the one their widget shows, by a content-hashed name.
            chunkFileNames: 'i18n-[name]-[hash].js',
          },
        },
      },
    },
  },
});
