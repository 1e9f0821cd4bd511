import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

/** axe-core's own bundle, read once from the pinned devDependency and evaluated inside the page. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on a page or frame against WCAG 2.x A/AA and best-practice rules and returns every
 * violation, each with the selectors of the offending nodes, so a failing test says what to fix.
 * The source is evaluated, not loaded by a <script> tag: the dashboard's and widget's CSP (rightly)
 * refuse scripts from anywhere else, and a test must not have to weaken it.
 */
export async function axeViolations(target: Page | Frame, include?: string[]): Promise<AxeViolation[]> {
  await target.evaluate(AXE_SOURCE);
  return target.evaluate(async (only) => {
    const axe = (globalThis as any).axe;
    // `include`: only these parts of the page (CSS selectors), when the rest belongs to another test.
    const result = await axe.run(only ? { include: only.map((s: string) => [s]) } : document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
      // Frames are checked on their own (a widget's frame is another origin with its own CSP).
      iframes: false,
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n: any) => `${n.target.join(' ')} :: ${n.failureSummary ?? ''}`),
    }));
  }, include ?? null);
}

/** One line per violation, for a failure message a person can act on. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => `${where}: [${v.impact}] ${v.id} — ${v.help}\n    ${v.targets.join('\n    ')}`)
    .join('\n');
}
