import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariableNames, loadConfig } from './config.ts';

const root = path.resolve(import.meta.dirname, '../../..');

describe('loadConfig', () => {
  it('when nothing is set, then every store is embedded and ports have their defaults', () => {
    const config = loadConfig({}, {});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.CLICKHOUSE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.BACKEND_PORT).toBe(8080);
    expect(config.CLICKHOUSE_DATABASE).toBe('spur');
    expect(config.dataDir).toBe(path.resolve('.data'));
    expect(config.backendUrl).toBe('http://127.0.0.1:8080');
  });

  it('when a variable is malformed, then the error names that variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' }, {})).toThrowError(
      /DATABASE_URL: must be a URL starting with postgres:/,
    );
    try {
      loadConfig({ BACKEND_PORT: 'eighty', LOG_LEVEL: 'loud', CLICKHOUSE_CLUSTER: 'a b' }, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables.sort()).toEqual(['BACKEND_PORT', 'CLICKHOUSE_CLUSTER', 'LOG_LEVEL']);
    }
  });

  it('when an empty string is given for an optional URL, then it counts as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }, {}).REDIS_URL).toBeUndefined();
  });

  it('when overrides are given, then they win over the environment', () => {
    const config = loadConfig({ BACKEND_PORT: '9000' }, { BACKEND_PORT: '7000', CLICKHOUSE_URL: 'http://ch:8123' });
    expect(config.BACKEND_PORT).toBe(9000);
    expect(config.CLICKHOUSE_URL).toBe('http://ch:8123');
  });

  it('documents every variable in README.md and .env.example', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    for (const name of configVariableNames()) {
      expect(readme, `README.md lacks ${name}`).toContain(`\`${name}\``);
      expect(example, `.env.example lacks ${name}`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    }
  });
});
