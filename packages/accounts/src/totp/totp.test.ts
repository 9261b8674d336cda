import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from './base32.ts';
import { generateTotpSecret, hotp, otpauthUrl, totp, verifyTotp } from './totp.ts';

// RFC 6238 appendix B: one seed per algorithm (the ASCII digits repeated to the hash's block size).
const SEEDS = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP', () => {
  it('when given the RFC 6238 test vectors, then every 8-digit code matches for SHA-1, SHA-256 and SHA-512', () => {
    for (const [time, sha1, sha256, sha512] of VECTORS) {
      expect(totp(SEEDS.sha1, time, 8, 'sha1')).toBe(sha1);
      expect(totp(SEEDS.sha256, time, 8, 'sha256')).toBe(sha256);
      expect(totp(SEEDS.sha512, time, 8, 'sha512')).toBe(sha512);
    }
  });

  it('when given the RFC 4226 HOTP vectors, then counters 0-9 give the published codes', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, counter) => hotp(SEEDS.sha1, counter))).toEqual(expected);
  });

  it('when a code is from the current, previous or next step, then it verifies and names its step; two steps off does not', () => {
    const secret = base32Encode(SEEDS.sha1);
    const now = 1_111_111_111; // step 37037037
    expect(verifyTotp(secret, totp(SEEDS.sha1, now), now)).toBe(37037037);
    expect(verifyTotp(secret, totp(SEEDS.sha1, now - 30), now)).toBe(37037036);
    expect(verifyTotp(secret, totp(SEEDS.sha1, now + 30), now)).toBe(37037038);
    expect(verifyTotp(secret, totp(SEEDS.sha1, now - 60), now)).toBeUndefined();
  });

  it('when a step was already used, then its code and older ones are refused', () => {
    const secret = base32Encode(SEEDS.sha1);
    const now = 1_111_111_111;
    expect(verifyTotp(secret, totp(SEEDS.sha1, now), now, { lastUsedStep: 37037037 })).toBeUndefined();
    expect(verifyTotp(secret, totp(SEEDS.sha1, now - 30), now, { lastUsedStep: 37037036 })).toBeUndefined();
    expect(verifyTotp(secret, totp(SEEDS.sha1, now + 30), now, { lastUsedStep: 37037037 })).toBe(37037038);
  });

  it('when the code is malformed, then it is refused without error', () => {
    const secret = generateTotpSecret();
    expect(verifyTotp(secret, 'abcdef', 0)).toBeUndefined();
    expect(verifyTotp(secret, '12345', 0)).toBeUndefined();
  });

  it('base32 round-trips and matches RFC 4648 examples', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(base32Decode('mzxw 6ytb-oi======').toString()).toBe('foobar');
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
  });

  it('builds an otpauth URL authenticator apps understand', () => {
    expect(otpauthUrl('JBSWY3DPEHPK3PXP', 'ada@example.com')).toBe(
      'otpauth://totp/Spur%3Aada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Spur&algorithm=SHA1&digits=6&period=30',
    );
  });
});
