import { describe, expect, it } from 'vitest';
import { assertPublicTarget, isInternalAddress } from './webhook-target.ts';

describe('webhook targets', () => {
  it('when a webhook names an internal address, then it is refused; public addresses pass', async () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ])
      expect([a, isInternalAddress(a)]).toEqual([a, true]);
    for (const a of ['8.8.8.8', '1.1.1.1', '2a00:1450:4001:80b::200e'])
      expect([a, isInternalAddress(a)]).toEqual([a, false]);
    await expect(assertPublicTarget('http://169.254.169.254/latest/meta-data')).rejects.toThrow(
      'refused: 169.254.169.254 is an internal address (169.254.169.254)',
    );
    await expect(assertPublicTarget('http://localhost:8080/hook')).rejects.toThrow(
      /^refused: localhost is an internal address/,
    );
    await expect(assertPublicTarget('https://8.8.8.8/hook')).resolves.toBeUndefined();
  });
});
