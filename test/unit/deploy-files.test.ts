import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './deploy/nomad.ts';

const deploy = path.join(root, 'deploy');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'spur-deploy-files-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function filesUnder(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => path.join(dir, f))
    .sort();
}

const run = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw result.error; // not installed: run_tests.sh installs it
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

describe('cloud-init user data', () => {
  const userData = filesUnder(path.join(deploy, 'cloud-init'), '.yaml');

  it('there is one file for the cluster nodes and one for the ClickHouse VM', () => {
    expect(userData.map((f) => path.basename(f))).toEqual(['clickhouse.yaml', 'cluster-node.yaml']);
  });

  it.each(userData.map((f) => path.basename(f)))('%s passes `cloud-init schema -c`', (name) => {
    const result = run('cloud-init', ['schema', '-c', path.join(deploy, 'cloud-init', name)]);
    expect(result.output).toContain(`Valid cloud-config: ${path.join(deploy, 'cloud-init', name)}`);
    expect(result.status).toBe(0);
  });

  it('a file with a schema error is refused, naming the key', () => {
    const bad = path.join(scratch, 'bad.yaml');
    fs.writeFileSync(bad, '#cloud-config\nwrite_files:\n  - content: x\n');
    const result = run('cloud-init', ['schema', '-c', bad]);
    expect(result.status).toBe(1);
    expect(result.output).toContain("write_files.0: 'path' is a required property");
  });

  it('ClickHouse listens on the private network and loopback only, and the cluster agents bind the private subnet', () => {
    const clickhouse = fs.readFileSync(path.join(deploy, 'cloud-init', 'clickhouse.yaml'), 'utf8');
    expect([...clickhouse.matchAll(/<listen_host>([^<]+)<\/listen_host>/g)].map((m) => m[1])).toEqual([
      '10.0.1.20',
      '127.0.0.1',
    ]);
    const node = fs.readFileSync(path.join(deploy, 'cloud-init', 'cluster-node.yaml'), 'utf8');
    expect(node.match(/bootstrap_expect = 3/g)).toHaveLength(2); // Consul and Nomad servers
    expect(node.match(/retry_join.*10\.0\.1\.11.*10\.0\.1\.12.*10\.0\.1\.13/g)).toHaveLength(2);
  });
});

describe('shell scripts', () => {
  const scripts = filesUnder(deploy, '.sh');

  it('every deploy script is executable and checked', () => {
    expect(scripts.map((f) => path.relative(deploy, f))).toEqual(
      expect.arrayContaining(['docker/build-local.sh', 'hcl/build-hcl-tools.sh', 'hetzner/provision.sh', 'release.sh']),
    );
    // The entry points operators run directly must be executable.
    for (const script of ['docker/build-local.sh', 'hcl/build-hcl-tools.sh', 'hetzner/provision.sh', 'release.sh'])
      expect(fs.statSync(path.join(deploy, script)).mode & 0o111, script).not.toBe(0);
  });

  it.each(scripts.map((f) => path.relative(deploy, f)))('%s passes shellcheck', (name) => {
    const result = run('shellcheck', ['--external-sources', path.join(deploy, name)]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('a script with an unquoted expansion fails shellcheck', () => {
    const bad = path.join(scratch, 'bad.sh');
    fs.writeFileSync(bad, '#!/usr/bin/env bash\nrm -rf $1/data\n');
    const result = run('shellcheck', [bad]);
    expect(result.status).toBe(1);
    expect(result.output).toContain('SC2086');
  });
});
