import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allJobs, nomadDir, parseJob, type Job } from './deploy/nomad.ts';
import * as rules from './deploy/nomad-rules.ts';

let jobs: Job[];
beforeAll(async () => {
  jobs = await allJobs();
});

/** The real jobs with one file's text changed: the rule must name exactly what broke. */
async function withEdit(file: string, from: string | RegExp, to: string): Promise<Job[]> {
  const text = fs.readFileSync(path.join(nomadDir, file), 'utf8');
  const edited = text.replace(from, to);
  expect(edited, `fixture edit of ${file} did not apply`).not.toBe(text);
  const bad = await parseJob(path.join(nomadDir, file), edited);
  return jobs.map((j) => (j.file === file ? bad : j));
}

describe('deploy/nomad job files', () => {
  it('every file parses as HCL and holds one job', () => {
    expect(jobs.map((j) => j.name).sort()).toEqual(
      expect.arrayContaining(['backend', 'batches', 'dashboard', 'postgres', 'redis', 'traefik', 'website']),
    );
  });

  it('a file with broken HCL is rejected with its position', async () => {
    await expect(parseJob('broken.nomad.hcl', 'job "x" {\n  update {\n    max_parallel = \n}\n')).rejects.toThrow(
      /broken\.nomad\.hcl:\d+/,
    );
  });

  it('services roll one instance at a time, gated on checks, with auto-revert', async () => {
    expect(rules.rollsOneAtATime(jobs)).toEqual([]);
    expect(
      rules.rollsOneAtATime(await withEdit('backend.nomad.hcl', 'max_parallel      = 1', 'max_parallel      = 2')),
    ).toEqual(['backend.nomad.hcl: update.max_parallel must be 1']);
    expect(
      rules.rollsOneAtATime(await withEdit('website.nomad.hcl', 'auto_revert       = true', 'auto_revert = false')),
    ).toEqual(['website.nomad.hcl: update.auto_revert must be true']);
  });

  it('services spread over nodes', async () => {
    expect(rules.spreadsOverNodes(jobs)).toEqual([]);
    expect(
      rules.spreadsOverNodes(await withEdit('batches.nomad.hcl', '${node.unique.id}', '${node.datacenter}')),
    ).toEqual(['batches.nomad.hcl: group batches does not spread over ${node.unique.id}']);
  });

  it("shutdown_delay outlasts Traefik's catalog refresh", async () => {
    expect(rules.traefikRefreshMs(jobs)).toBe(5_000);
    expect(rules.shutdownDelayOutlastsTraefik(jobs)).toEqual([]);
    expect(
      rules.shutdownDelayOutlastsTraefik(
        await withEdit('traefik.nomad.hcl', 'refreshInterval = "5s"', 'refreshInterval = "15s"'),
      ),
    ).toHaveLength(4);
    expect(
      rules.shutdownDelayOutlastsTraefik(
        await withEdit('dashboard.nomad.hcl', 'shutdown_delay = "10s"', 'shutdown_delay = "2s"'),
      ),
    ).toEqual(["dashboard.nomad.hcl: task dashboard shutdown_delay must exceed Traefik's refreshInterval (5000 ms)"]);
  });

  it('kill_timeout outlasts the drain plus the shutdown timeout', async () => {
    expect(rules.killTimeoutOutlastsShutdown(jobs)).toEqual([]);
    expect(
      rules.killTimeoutOutlastsShutdown(
        await withEdit('backend.nomad.hcl', 'SHUTDOWN_TIMEOUT_MS     = "10000"', 'SHUTDOWN_TIMEOUT_MS = "18000"'),
      ),
    ).toEqual([
      'backend.nomad.hcl: task backend kill_timeout must exceed SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS (21000 ms)',
    ]);
  });

  it('checks hit /healthz, and /readyz where there are stores', async () => {
    expect(rules.checksHealth(jobs)).toEqual([]);
    expect(rules.checksHealth(await withEdit('backend.nomad.hcl', 'path     = "/readyz"', 'path     = "/"'))).toEqual([
      'backend.nomad.hcl: no http check on /readyz',
    ]);
  });

  it('secrets come from Vault through templates, never from env', async () => {
    expect(rules.secretsFromVault(jobs)).toEqual([]);
    expect(
      rules.secretsFromVault(
        await withEdit('batches.nomad.hcl', 'JOBS_ENABLED         = "true"', 'REDIS_URL = "redis://:pw@10.0.1.1:6379"'),
      ),
    ).toEqual(['batches.nomad.hcl: REDIS_URL is set in env; secrets come from Vault through a template']);
    expect(
      rules.secretsFromVault(
        await withEdit('backend.nomad.hcl', /\n {6}vault \{\n {8}role = "spur-backend"\n {6}\}\n/, '\n'),
      ),
    ).toEqual(['backend.nomad.hcl: task backend reads Vault secrets without a vault block']);
  });

  it('images are tagged from the image_tag variable, never latest', async () => {
    expect(rules.imageFromTagVariable(jobs)).toEqual([]);
    expect(
      rules.imageFromTagVariable(
        await withEdit('website.nomad.hcl', 'spur-website:${var.image_tag}', 'spur-website:latest'),
      ),
    ).toEqual([
      'website.nomad.hcl: image ${var.registry}/spur-website:latest is not tagged ${var.image_tag}',
      'website.nomad.hcl: image ${var.registry}/spur-website:latest uses latest',
    ]);
    expect(
      rules.imageFromTagVariable(
        await withEdit(
          'dashboard.nomad.hcl',
          'type        = string\n  description = "Git commit',
          'type = string\n  default = "main"\n  description = "Git commit',
        ),
      ),
    ).toEqual(['dashboard.nomad.hcl: image_tag must not have a default']);
  });

  it('Traefik is a system job with the Consul catalog, ping, and trusts forwarding only from the private network', async () => {
    expect(rules.traefikAsSystemJob(jobs)).toEqual([]);
    expect(
      rules.traefikAsSystemJob(
        await withEdit('traefik.nomad.hcl', 'trustedIPs = ["10.0.0.0/16"]', 'trustedIPs = ["0.0.0.0/0"]'),
      ),
    ).toEqual(['traefik.nomad.hcl: trustedIPs 0.0.0.0/0 is not in the private network']);
    expect(
      rules.traefikAsSystemJob(await withEdit('traefik.nomad.hcl', 'type        = "system"', 'type = "service"')),
    ).toEqual(['traefik.nomad.hcl: type must be "system"']);
  });

  it('Postgres and Redis are pinned to the node with the volume', async () => {
    expect(rules.storesPinnedToVolume(jobs)).toEqual([]);
    expect(
      rules.storesPinnedToVolume(await withEdit('redis.nomad.hcl', '${meta.spur_volume}', '${meta.rack}')),
    ).toEqual(['redis.nomad.hcl: not constrained to meta.spur_volume']);
  });

  it('no scheduled work is a Nomad periodic job', async () => {
    expect(rules.noPeriodicJobs(jobs)).toEqual([]);
    expect(
      rules.noPeriodicJobs(
        await withEdit(
          'batches.nomad.hcl',
          'type        = "service"',
          'type = "batch"\n  periodic {\n    crons = ["0 9 * * *"]\n  }',
        ),
      ),
    ).toEqual(["batches.nomad.hcl: scheduled work belongs in batches' crontab, not a Nomad batch job"]);
  });
});
