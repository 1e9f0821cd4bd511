import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

type Axe = { run: (context: unknown, options: unknown) => Promise<any> };

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is (or only inside `include`, CSS selectors).
 * The script is evaluated through the DevTools protocol, so the page's CSP stays as it is.
 */
export async function axeViolations(page: Page, include?: string[]): Promise<AxeViolation[]> {
  await page.evaluate(source);
  return page.evaluate(async (only) => {
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    const result = await axe.run(only ? { include: only.map((s) => [s]) } : document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n: any) => String(n.target)),
    }));
  }, include ?? null);
}
