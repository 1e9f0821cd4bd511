import { describe, expect, it } from 'vitest';
import { pathMatches } from './proactive.js';

describe('proactive message paths (safe globs)', () => {
  it('matches literal paths exactly and * as any run of characters', () => {
    expect(pathMatches('/pricing', '/pricing')).toBe(true);
    expect(pathMatches('/pricing', '/pricing/team')).toBe(false);
    expect(pathMatches('/pricing*', '/pricing')).toBe(true);
    expect(pathMatches('/pricing*', '/pricing/team')).toBe(true);
    expect(pathMatches('/pricing*', '/about/pricing')).toBe(false);
    expect(pathMatches('*/checkout', '/de/shop/checkout')).toBe(true);
    expect(pathMatches('/shop/*/reviews', '/shop/lamp/reviews')).toBe(true);
    expect(pathMatches('/shop/*/reviews', '/shop/reviews')).toBe(false);
    expect(pathMatches('/a*a', '/a')).toBe(false);
    expect(pathMatches('/*', '/')).toBe(true);
  });

  it('treats what a regular expression would read as syntax as plain characters', () => {
    expect(pathMatches('/a.c', '/abc')).toBe(false);
    expect(pathMatches('/a.c', '/a.c')).toBe(true);
    expect(pathMatches('/(x)+', '/xx')).toBe(false);
  });

  it('stays fast on a pattern that would make a backtracking matcher explode', () => {
    const glob = `/${'*a'.repeat(90)}`;
    const path = `/${'a'.repeat(5000)}`;
    // A greedy scan: answered at once whatever the input (no timing asserted, only the answer).
    expect(pathMatches(glob, path)).toBe(true);
    expect(pathMatches(glob, `${path}b`)).toBe(false);
    expect(pathMatches(`${glob}c`, path)).toBe(false);
  });
});
