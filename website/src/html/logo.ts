import { raw, type SafeHtml } from './escape.ts';

/** The rowel of a spur: a six-pointed star on the brand colour. Used inline and as the favicon. */
const mark = (size: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="#c2410c"/><path d="M16 4.5l2.7 7.3 7.7-1.3-5 6 5 6-7.7-1.3L16 28.5l-2.7-7.3-7.7 1.3 5-6-5-6 7.7 1.3z" fill="#fff"/><circle cx="16" cy="16" r="3" fill="#c2410c"/></svg>`;

export function logoMark(size: number): SafeHtml {
  return raw(mark(size));
}

export const faviconSvg = mark(32);
