import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

// Built into dist/dashboard and served by the Parley server under a strict CSP
// (script-src 'self', style-src 'self'): nothing may be inlined into index.html.
export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  // Vite 8 transforms TS/JSX with oxc; React's automatic runtime, no plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: resolve(here, '../dist/dashboard'),
    emptyOutDir: true,
    assetsDir: 'assets',
    // The polyfill would be injected as an inline script, which the CSP refuses.
    modulePreload: { polyfill: false },
    // Never turn small assets into data: URLs inside CSS or JS; keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
});
