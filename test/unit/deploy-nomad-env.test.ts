import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { configVariableNames, PRODUCTION_REQUIRED, type Service } from '@spur/config';
import { allJobs, nomadDir, parseJob, renderedEnv, SERVICES, tasks, type Job } from './deploy/nomad.ts';

/** What a service's process is given, checked against packages/config's own schema. */
function envProblems(job: Job): { missing: string[]; unknown: string[] } {
  const known = new Set(configVariableNames());
  const names = new Set(
    tasks(job).flatMap((task) => {
      const { plain, templated } = renderedEnv(task);
      return [...Object.keys(plain), ...templated];
    }),
  );
  return {
    missing: PRODUCTION_REQUIRED[job.name as Service].filter((name) => !names.has(name)),
    unknown: [...names].filter((name) => !known.has(name)),
  };
}

let jobs: Job[];
beforeAll(async () => {
  jobs = (await allJobs()).filter((j) => (SERVICES as readonly string[]).includes(j.name));
});

const edited = async (file: string, from: string, to: string) => {
  const text = fs.readFileSync(path.join(nomadDir, file), 'utf8');
  expect(text).toContain(from);
  return parseJob(path.join(nomadDir, file), text.replace(from, to));
};

describe('environment rendered for each service', () => {
  it.each(SERVICES)(
    '%s gets every variable packages/config requires in production and none it does not know',
    (name) => {
      const job = jobs.find((j) => j.name === name)!;
      expect(envProblems(job)).toEqual({ missing: [], unknown: [] });
    },
  );

  it('when a required variable is left out, then it is named', async () => {
    const job = await edited('backend.nomad.hcl', '          AUTH_SECRET={{ .Data.data.auth_secret }}\n', '');
    expect(envProblems(job)).toEqual({ missing: ['AUTH_SECRET'], unknown: [] });
  });

  it('when a variable the config does not know is rendered, then it is named', async () => {
    const job = await edited('website.nomad.hcl', 'WEBSITE_PORT', 'WEBSITE_LISTEN_PORT');
    expect(envProblems(job)).toEqual({ missing: ['WEBSITE_PORT'], unknown: ['WEBSITE_LISTEN_PORT'] });
  });
});
