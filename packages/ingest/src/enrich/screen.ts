/**
 * Screen classes group the reported screen width (CSS pixels, `screen.width`) into the buckets
 * dashboards show. Exact resolutions would be a needless fingerprinting detail; a class is enough to
 * tell phones from laptops from large monitors. Lower bounds, inclusive:
 *
 * | class | width        | typical device                      |
 * |-------|--------------|-------------------------------------|
 * | XXL   | ≥ 2560       | 1440p/4K monitors at scale 1        |
 * | XL    | 1920 – 2559  | full-HD monitors                    |
 * | L     | 1280 – 1919  | laptops                             |
 * | M     | 1024 – 1279  | small laptops, tablets in landscape |
 * | S     | 768 – 1023   | tablets in portrait                 |
 * | XS    | 1 – 767      | phones                              |
 * | ''    | 0, unknown   | not sent (e.g. `data-disable-resolution`, server-side hits) |
 */
const CLASSES: ReadonlyArray<readonly [minWidth: number, name: string]> = [
  [2560, 'XXL'],
  [1920, 'XL'],
  [1280, 'L'],
  [1024, 'M'],
  [768, 'S'],
  [1, 'XS'],
];

/** Browsers report at most a few tens of thousands of pixels; anything larger is made up. */
const MAX_PLAUSIBLE_WIDTH = 100_000;

export type ScreenClass = 'XXL' | 'XL' | 'L' | 'M' | 'S' | 'XS' | '';

export function screenClass(width: number): ScreenClass {
  if (typeof width !== 'number' || !Number.isFinite(width) || width > MAX_PLAUSIBLE_WIDTH) return '';
  for (const [minWidth, name] of CLASSES) {
    if (width >= minWidth) return name as ScreenClass;
  }
  return '';
}
