import { describe, expect, it } from 'vitest';
import { Id } from '../../protocol/common.js';
import { timeOrderedId } from './ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('time-ordered ids', () => {
  it('are UUID version 7 with the RFC variant, and pass the protocol id pattern', () => {
    const pattern = new RegExp(Id.pattern as string);
    for (let i = 0; i < 1000; i += 1) {
      const id = timeOrderedId();
      expect(id).toMatch(V7);
      expect(id).toMatch(pattern);
    }
  });

  it('carry the millisecond they were made in their first 48 bits', () => {
    const ms = Date.parse('2026-12-05T22:40:00.123Z');
    const id = timeOrderedId(ms);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms);
  });

  it('sort by time across milliseconds, and never repeat', () => {
    const ids: string[] = [];
    const start = Date.parse('2026-12-05T00:00:00Z');
    for (let i = 0; i < 3000; i += 1) ids.push(timeOrderedId(start + Math.floor(i / 3)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 3; i < ids.length; i += 3) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
  });

  it('keep 74 random bits: every random hex digit takes many values over many ids', () => {
    const ids = Array.from({ length: 2000 }, () => timeOrderedId(0).replaceAll('-', ''));
    // Digits 13..15 (rand_a), 17..31 (rand_b); 12 is the version, 16 the variant.
    for (const at of [13, 14, 15, ...Array.from({ length: 15 }, (_, i) => 17 + i)]) {
      expect(new Set(ids.map((id) => id[at])).size, `digit ${at}`).toBe(16);
    }
    expect(new Set(ids.map((id) => id[16]))).toEqual(new Set(['8', '9', 'a', 'b']));
  });
});
