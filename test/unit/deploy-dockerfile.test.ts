import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './deploy/dockerfile.ts';
import * as rules from './deploy/dockerfile-rules.ts';
import { root } from './deploy/nomad.ts';

const text = fs.readFileSync(path.join(root, 'deploy/docker/Dockerfile'), 'utf8');
const real = parseDockerfile(text);
const edited = (from: string | RegExp, to: string) => {
  const changed = text.replace(from, to);
  expect(changed, 'fixture edit did not apply').not.toBe(text);
  return parseDockerfile(changed);
};

describe('deploy/docker/Dockerfile', () => {
  it('parses into named stages', () => {
    expect(real.stages.map((s) => `${s.name}<-${s.from}`)).toEqual([
      'deps<-${NODE_IMAGE}',
      'build<-deps',
      'prod-deps<-deps',
      'runtime<-${NODE_IMAGE}',
      'backend<-runtime',
      'batches<-runtime',
      'website<-runtime',
      'dashboard<-runtime',
    ]);
  });

  it('has one target per service, each on the shared runtime', () => {
    expect(rules.oneTargetPerService(real, root)).toEqual([]);
    expect(rules.oneTargetPerService(edited('FROM runtime AS website', 'FROM build AS website'), root)).toEqual([
      'website is not built FROM runtime',
    ]);
  });

  it('installs with npm ci from the lockfile, every workspace included', () => {
    expect(rules.npmCiFromLockfile(real, root)).toEqual([]);
    expect(rules.npmCiFromLockfile(edited('COPY packages/stats/package.json packages/stats/\n', ''), root)).toEqual([
      'deps: packages/stats/package.json not copied, so npm ci would not install that workspace',
    ]);
    expect(
      rules.npmCiFromLockfile(edited('COPY package.json package-lock.json ./', 'COPY package.json ./'), root),
    ).toEqual(['deps: package-lock.json not copied before npm ci']);
  });

  it('builds the dashboard and ships the build', () => {
    expect(rules.dashboardBuilt(real, root)).toEqual([]);
    expect(rules.dashboardBuilt(edited('COPY --from=build /app/dashboard/dist ./dashboard/dist\n', ''), root)).toEqual([
      'runtime does not copy the dashboard build',
    ]);
  });

  it('leaves dev dependencies (and with them the embedded engines) out of the final images', () => {
    expect(rules.noDevDependenciesInFinal(real, root)).toEqual([]);
    expect(
      rules.noDevDependenciesInFinal(
        edited('COPY --from=prod-deps /app/node_modules', 'COPY --from=deps /app/node_modules'),
        root,
      ),
    ).toEqual(['runtime: node_modules copied from deps, which keeps dev dependencies']);
  });

  it('runs as a non-root user', () => {
    expect(rules.runsAsNonRoot(real, root)).toEqual([]);
    expect(rules.runsAsNonRoot(edited('USER node', 'USER root'), root)).toEqual(
      rules.TARGETS.map((t) => `${t} runs as root`),
    );
  });

  it('gives every service a HEALTHCHECK on its own /healthz', () => {
    expect(rules.healthChecked(real, root)).toEqual([]);
    expect(rules.healthChecked(edited('http://127.0.0.1:8081/healthz', 'http://127.0.0.1:8080/healthz'), root)).toEqual(
      ['batches: HEALTHCHECK does not probe /healthz on 8081'],
    );
  });

  it('pins its base image', () => {
    expect(rules.pinnedBaseImage(real, root)).toEqual([]);
    expect(rules.pinnedBaseImage(edited('node:20.19.5-bookworm-slim', 'node:latest'), root)).toEqual([
      'deps: base image node:latest is not pinned',
      'runtime: base image node:latest is not pinned',
    ]);
  });

  it('keeps secrets, engines data and dependencies out of the build context', () => {
    const ignore = fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.git', '**/node_modules', '.data', '.env', '*.password']) expect(ignore).toContain(entry);
  });
});
