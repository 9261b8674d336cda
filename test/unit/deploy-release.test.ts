import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './deploy/nomad.ts';

/**
 * deploy/release.sh's order of operations. Nomad and a Docker daemon cannot run here, so `nomad`
 * and `docker` are small scripts that log their arguments and answer as the real ones do (plan
 * exits 1 with a "Job Modify Index" when there are changes; `deployment status -monitor` exits
 * non-zero when the deployment failed). The release script itself runs unchanged, in a clean
 * git checkout of its own.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spur-release-'));
const repo = path.join(dir, 'repo');
const bin = path.join(dir, 'bin');
const log = path.join(dir, 'calls.log');

const NOMAD = `#!/bin/sh
echo "nomad $*" >> "$CALLS"
case "$1 $2" in
  "job inspect") echo 7 ;;
  "job plan") echo "+/- Job: \\"x\\""; echo "Job Modify Index: 42"; exit 1 ;;
  "job run") exit 0 ;;
  "job deployments") for last; do :; done; echo "dep-$last" ;;
  "deployment status") for last; do :; done; [ "$last" = "dep-$FAIL_JOB" ] && exit 2; exit 0 ;;
  "job revert") exit 0 ;;
esac
`;
const DOCKER = '#!/bin/sh\necho "docker $*" >> "$CALLS"\n';

beforeAll(async () => {
  fs.mkdirSync(path.join(repo, 'deploy', 'nomad'), { recursive: true });
  fs.copyFileSync(path.join(root, 'deploy/release.sh'), path.join(repo, 'deploy/release.sh'));
  fs.chmodSync(path.join(repo, 'deploy/release.sh'), 0o755);
  for (const job of ['batches', 'backend', 'website', 'dashboard'])
    fs.copyFileSync(path.join(root, `deploy/nomad/${job}.nomad.hcl`), path.join(repo, `deploy/nomad/${job}.nomad.hcl`));
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'nomad'), NOMAD, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'docker'), DOCKER, { mode: 0o755 });
  const git = (...args: string[]) =>
    new Promise<void>((resolve, reject) =>
      execFile('git', ['-C', repo, '-c', 'user.email=t@t', '-c', 'user.name=t', ...args], (e) =>
        e ? reject(e) : resolve(),
      ),
    );
  await git('init', '-q');
  await git('add', '.');
  await git('commit', '-q', '-m', 'release me');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function release(environment: string, failJob = ''): Promise<{ code: number; output: string; calls: string[] }> {
  fs.writeFileSync(log, '');
  return new Promise((resolve) =>
    execFile(
      path.join(repo, 'deploy/release.sh'),
      [environment],
      {
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          HOME: dir,
          CALLS: log,
          FAIL_JOB: failJob,
          SPUR_DOMAIN: 'spur.example',
          SPUR_REGISTRY: 'reg:5000',
        },
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          output: stdout + stderr,
          calls: fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean),
        }),
    ),
  );
}

describe('deploy/release.sh', () => {
  it('builds and pushes the four images tagged with the commit, then plans, runs with the plan’s index and watches each job', async () => {
    const { code, calls, output } = await release('staging');
    expect(code, output).toBe(0);
    const tag = /releasing (\w+) to staging \(staging\.spur\.example\)/.exec(output)![1]!;
    expect(tag).toMatch(/^[0-9a-f]{12}$/);
    const vars = `-var image_tag=${tag} -var environment=staging -var domain=staging.spur.example -var registry=reg:5000`;
    expect(calls).toEqual([
      ...['batches', 'backend', 'website', 'dashboard'].flatMap((s) => [
        `docker build -f deploy/docker/Dockerfile --target ${s} -t reg:5000/spur-${s}:${tag} .`,
        `docker push reg:5000/spur-${s}:${tag}`,
      ]),
      ...['batches', 'backend', 'website', 'dashboard'].flatMap((job) => [
        `nomad job inspect -namespace staging -t {{ .Version }} ${job}`,
        `nomad job plan -namespace staging ${vars} deploy/nomad/${job}.nomad.hcl`,
        `nomad job run -namespace staging -detach -check-index 42 ${vars} deploy/nomad/${job}.nomad.hcl`,
        `nomad job deployments -namespace staging -latest -t {{ .ID }} ${job}`,
        `nomad deployment status -namespace staging -monitor dep-${job}`,
      ]),
    ]);
  });

  it('when a deployment fails, then the jobs this run released before it are reverted and nothing after it is touched', async () => {
    const { code, calls } = await release('production', 'website');
    expect(code).toBe(1);
    const nomad = calls.filter((c) => c.startsWith('nomad')).map((c) => c.replace(/ -var \S+/g, ''));
    expect(nomad.slice(-3)).toEqual([
      'nomad deployment status -namespace production -monitor dep-website',
      'nomad job revert -namespace production batches 7',
      'nomad job revert -namespace production backend 7',
    ]);
    expect(calls.some((c) => c.includes('dashboard.nomad.hcl'))).toBe(false);
  });

  it('refuses an unknown environment and a checkout with uncommitted changes', async () => {
    expect((await release('prod')).code).toBe(64);
    fs.writeFileSync(path.join(repo, 'stray.txt'), 'x');
    const dirty = await release('production');
    fs.rmSync(path.join(repo, 'stray.txt'));
    expect(dirty.code).toBe(1);
    expect(dirty.output).toContain('uncommitted changes');
    expect(dirty.calls).toEqual([]);
  });
});
