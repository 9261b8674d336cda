import { describe, expect, it } from 'vitest';
import { hintedBrowser, hintedMobile, hintedPlatform } from './client-hints.ts';

describe('client hints', () => {
  it('when Sec-CH-UA lists GREASE and Chromium brands, then the most specific known brand wins', () => {
    expect(hintedBrowser('"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"')).toEqual({
      name: 'Chrome',
      major: '124',
    });
    expect(hintedBrowser('"Not/A)Brand";v="8", "Chromium";v="126", "Microsoft Edge";v="126"')).toEqual({
      name: 'Edge',
      major: '126',
    });
    expect(hintedBrowser('"Opera";v="109", "Not:A-Brand";v="8", "Chromium";v="123"')).toEqual({
      name: 'Opera',
      major: '109',
    });
    expect(hintedBrowser('"Brave";v="124", "Chromium";v="124", "Not-A.Brand";v="99"')).toEqual({
      name: 'Brave',
      major: '124',
    });
  });

  it('when only Chromium or unknown brands are listed, or the header is junk, then there is no hinted browser', () => {
    expect(hintedBrowser('"Chromium";v="124", "Not-A.Brand";v="99"')).toBeUndefined();
    expect(hintedBrowser('"Evil Browser";v="1"')).toBeUndefined();
    expect(hintedBrowser('garbage')).toBeUndefined();
    expect(hintedBrowser('')).toBeUndefined();
    expect(hintedBrowser(undefined)).toBeUndefined();
    expect(hintedBrowser(`"Google Chrome";v="${'9'.repeat(5000)}"`)).toBeUndefined();
  });

  it('when a platform and version are sent, then they are named and reduced per OS', () => {
    expect(hintedPlatform('"Windows"', '"15.0.0"')).toEqual({ os: 'Windows', version: '11' });
    expect(hintedPlatform('"Windows"', '"10.0.0"')).toEqual({ os: 'Windows', version: '10' });
    expect(hintedPlatform('"Windows"', '"0.2.0"')).toEqual({ os: 'Windows', version: '8' });
    expect(hintedPlatform('"macOS"', '"14.5.0"')).toEqual({ os: 'macOS', version: '14.5' });
    expect(hintedPlatform('"Android"', '"14.0.0"')).toEqual({ os: 'Android', version: '14' });
    expect(hintedPlatform('"Linux"', '"6.5.0"')).toEqual({ os: 'Linux', version: '' });
    expect(hintedPlatform('"Chrome OS"', '"14541.0.0"')).toEqual({ os: 'Chrome OS', version: '14541' });
    expect(hintedPlatform('"Chromium OS"', '')).toEqual({ os: 'Chrome OS', version: '' });
    expect(hintedPlatform('Windows', '15.0.0')).toEqual({ os: 'Windows', version: '11' });
  });

  it('when the platform is unknown or missing, then it is not trusted', () => {
    expect(hintedPlatform('"Unknown"', '"1.0"')).toBeUndefined();
    expect(hintedPlatform('"TempleOS"', '"5"')).toBeUndefined();
    expect(hintedPlatform(undefined, '"15.0.0"')).toBeUndefined();
  });

  it('when Sec-CH-UA-Mobile is ?1 or ?0, then it is read; anything else is ignored', () => {
    expect(hintedMobile('?1')).toBe(true);
    expect(hintedMobile('?0')).toBe(false);
    expect(hintedMobile('1')).toBeUndefined();
    expect(hintedMobile(undefined)).toBeUndefined();
  });
});
