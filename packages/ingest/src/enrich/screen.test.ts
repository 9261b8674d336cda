import { describe, expect, it } from 'vitest';
import { screenClass } from './screen.ts';

describe('screenClass', () => {
  it.each([
    [3840, 'XXL'],
    [2560, 'XXL'],
    [2559, 'XL'],
    [1920, 'XL'],
    [1919, 'L'],
    [1440, 'L'],
    [1280, 'L'],
    [1279, 'M'],
    [1024, 'M'],
    [1023, 'S'],
    [768, 'S'],
    [767, 'XS'],
    [390, 'XS'],
    [1, 'XS'],
  ])('when the screen is %i px wide, then the class is %s', (width, expected) => {
    expect(screenClass(width)).toBe(expected);
  });

  it('when the width is zero, negative, not a number or absurd, then there is no class', () => {
    for (const width of [0, -5, 0.5, NaN, Infinity, 1e9, '1920' as unknown as number, undefined as unknown as number]) {
      expect(screenClass(width), String(width)).toBe('');
    }
  });
});
