import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Rolldown } from 'vite';
import { createBuilder } from 'vite';
import { describe, expect, it } from 'vitest';

/**
 * Every page of a site that embeds Parley downloads the loader, chat or no chat, so its weight is
 * held to a budget: gzip level 9 with node:zlib, as the bench measures it
 * (bench/scenarios/widget-weight.ts). It is built here from the source with the widget's own build
 * configuration (in memory, nothing written), so the figure is this checkout's, not an old dist/'s.
 *
 * The target is 2 KiB (2,048 bytes). It is not met yet: the budget below is the size reached, so the
 * loader cannot grow unnoticed; lower it as the loader shrinks, down to the target. The proactive
 * message (its card, its small-screen dot, the path glob, once per visitor) took it from 2,300 to 2,650,
 * and the calls switch (the frame's `allow`) to 2,677.
 */
const TARGET_BYTES = 2048;
const BUDGET_BYTES = 2680;

async function buildLoader(): Promise<string> {
  const builder = await createBuilder({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    logLevel: 'silent',
    environments: { loader: { build: { write: false, emptyOutDir: false } } },
  });
  const loader = builder.environments.loader;
  if (!loader) throw new Error('the widget build has no loader environment');
  const result = (await builder.build(loader)) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const outputs = Array.isArray(result) ? result : [result];
  const chunk = outputs
    .flatMap((o) => o.output)
    .find((c): c is Rolldown.OutputChunk => c.type === 'chunk' && c.fileName === 'widget.js');
  if (!chunk) throw new Error('the build made no widget.js');
  return chunk.code;
}

describe('the loader (widget.js)', () => {
  it('stays within its gzip budget and is one classic script', async () => {
    const code = await buildLoader();
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect(gzipped, `widget.js is ${gzipped} bytes gzipped`).toBeLessThanOrEqual(BUDGET_BYTES);
    expect(BUDGET_BYTES).toBeGreaterThanOrEqual(TARGET_BYTES);
    // A classic script (host pages include it without type=module), with no markup or style text.
    expect(code).not.toMatch(/\bimport\s*[{(*"'`]|\bexport\s/);
    expect(code).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createElement\(`style`\)/,
    );
    expect(code).not.toMatch(/\.style\.cssText|setAttribute\(`style`/);
  }, 60_000);
});
