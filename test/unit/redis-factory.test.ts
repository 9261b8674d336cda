import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Source files (not tests) under the folders Spur's processes run from. */
function sources(): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'test', 'dist'].includes(entry.name) && !entry.name.startsWith('.')) walk(full);
      } else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts')) found.push(full);
    }
  };
  for (const folder of ['packages', 'backend/src', 'batches/src', 'scripts', 'bench']) walk(path.join(root, folder));
  return found;
}

describe('one Redis factory (issue 19)', () => {
  it('when Spur opens a Redis connection, then it is through openRedis (or a duplicate of one), so it follows a Sentinel failover', () => {
    const offenders = sources()
      .filter((file) => /\bnew (Redis|IORedis|Cluster)\s*\(/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual(['packages/storage/src/redis.ts']);
  });
});
