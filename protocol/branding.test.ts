import { describe, expect, it } from 'vitest';
import { AA_TEXT, brandInk, brandTextOnWhite, contrastRatio } from './branding.js';

const hex = (n: number) => n.toString(16).padStart(2, '0');

describe('brand colour contrast', () => {
  it('measures contrast as WCAG 2 does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#4f46e5', '#ffffff')).toBeCloseTo(6.29, 1);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 1);
  });

  it('picks white text where it reaches AA and black where it does not', () => {
    expect(brandInk('#4f46e5')).toBe('#ffffff');
    expect(brandInk('#ffeb3b')).toBe('#000000');
    expect(brandInk('#777777')).toBe('#000000');
    expect(brandInk('#767676')).toBe('#ffffff');
  });

  it('gives every colour text that reaches AA 4.5:1, so no colour has to be refused', () => {
    for (let r = 0; r < 256; r += 15) {
      for (let g = 0; g < 256; g += 15) {
        for (let b = 0; b < 256; b += 15) {
          const color = `#${hex(r)}${hex(g)}${hex(b)}`;
          expect(contrastRatio(color, brandInk(color))).toBeGreaterThanOrEqual(AA_TEXT);
          expect(contrastRatio(brandTextOnWhite(color), '#ffffff')).toBeGreaterThanOrEqual(AA_TEXT);
        }
      }
    }
  });
});
