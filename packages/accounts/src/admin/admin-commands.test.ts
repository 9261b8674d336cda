import { describe, expect, it } from 'vitest';
import { ADMIN_COMMANDS, adminHelp, parseOptions } from './admin-commands.ts';

describe('admin CLI options', () => {
  it('parses --flag value, --flag=value and bare boolean flags', () => {
    expect(parseOptions(['--email', 'a@b.c', '--unverified', '--name=Acme Inc'])).toEqual({
      email: 'a@b.c',
      unverified: true,
      name: 'Acme Inc',
    });
    expect(() => parseOptions(['stray'])).toThrow('unexpected argument "stray"; options look like --name value');
  });

  it('when an option is unknown, then the command schema refuses it', () => {
    expect(() => ADMIN_COMMANDS['site:list']!.options.strict().parse(parseOptions(['--colour', 'blue']))).toThrow(
      /colour/,
    );
  });

  it('help lists every command with a summary', () => {
    expect(Object.keys(adminHelp().commands).sort()).toEqual([
      'client:create',
      'client:delete',
      'client:list',
      'org:create',
      'org:delete',
      'org:list',
      'site:create',
      'site:delete',
      'site:list',
      'user:create',
      'user:delete',
      'user:list',
      'user:reset-password',
    ]);
  });
});
