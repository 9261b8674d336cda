import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './password-hash.ts';
import { createSecretBox } from './secret-box.ts';
import { hashToken, randomAlphanumeric, randomToken, safeEqual } from './tokens.ts';

describe('password hashing', () => {
  it('when a password is hashed, then scrypt with N=2^15 is recorded and only the same password verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  it('when the stored value is malformed, then verification fails instead of throwing', async () => {
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
  });
});

describe('tokens', () => {
  it('random tokens carry 256 bits and identification codes are 32 alphanumerics', () => {
    expect(Buffer.from(randomToken(), 'base64url')).toHaveLength(32);
    expect(randomAlphanumeric(32)).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(new Set(Array.from({ length: 50 }, () => randomAlphanumeric(32))).size).toBe(50);
  });

  it('digests are SHA-256 and comparison is exact', () => {
    expect(hashToken('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('secret box', () => {
  it('when sealed, then only the same secret and purpose open it, and tampering is detected', () => {
    const box = createSecretBox('a'.repeat(32), 'totp-seed');
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => createSecretBox('b'.repeat(32), 'totp-seed').open(sealed)).toThrow();
    expect(() => createSecretBox('a'.repeat(32), 'other').open(sealed)).toThrow();
    const [v, iv, body, tag] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64');
    flipped[0]! ^= 1;
    expect(() => box.open([v, iv, flipped.toString('base64'), tag].join('.'))).toThrow();
  });
});
