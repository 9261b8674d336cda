import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Service = { image: string; ports?: string[]; volumes?: string[]; command?: string[] };
const compose = parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

describe('docker-compose.yml', () => {
  it('runs the real engines at pinned versions, on loopback ports, with persistent volumes', () => {
    const { postgres, clickhouse, redis, s3, ses } = compose.services;
    expect(postgres?.image).toBe('postgres:17');
    expect(clickhouse?.image).toMatch(/^clickhouse\/clickhouse-server:\d+\.\d+/);
    expect(redis?.image).toBe('redis:7');
    expect(redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(postgres?.ports).toEqual(['127.0.0.1:5432:5432']);
    expect(clickhouse?.ports).toEqual(['127.0.0.1:8123:8123']);
    expect(redis?.ports).toEqual(['127.0.0.1:6379:6379']);
    expect(s3?.ports).toEqual(['127.0.0.1:4569:4569']);
    expect(ses?.ports).toEqual(['127.0.0.1:8005:8005']);
    for (const name of ['postgres', 'clickhouse', 'redis', 's3']) {
      const volume = compose.services[name]!.volumes![0]!.split(':')[0]!;
      expect(Object.keys(compose.volumes)).toContain(volume);
    }
  });

  it('gives the env lines that point Spur at those services', () => {
    const text = fs.readFileSync(path.resolve(import.meta.dirname, '../../docker-compose.yml'), 'utf8');
    expect(text).toContain('DATABASE_URL=postgres://spur:spur@127.0.0.1:5432/spur');
    expect(text).toContain('CLICKHOUSE_URL=http://spur:spur@127.0.0.1:8123');
    expect(text).toContain('REDIS_URL=redis://127.0.0.1:6379');
  });
});
