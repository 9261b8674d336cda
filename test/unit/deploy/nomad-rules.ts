import { blocks, durationMs, named, renderedEnv, SERVICES, tasks, type Job } from './nomad.ts';

/** Each rule reads all jobs and names every violation; an empty list means the rule holds. */
export type Rule = (jobs: Job[]) => string[];

const service = (jobs: Job[]) => jobs.filter((j) => (SERVICES as readonly string[]).includes(j.name));

/** Rolling updates: one instance at a time, gated on checks, reverted automatically. */
export const rollsOneAtATime: Rule = (jobs) =>
  service(jobs).flatMap((job) => {
    const update = blocks(job.body, 'update')[0];
    if (!update) return [`${job.file}: no update block`];
    const problems: string[] = [];
    if (update.max_parallel !== 1) problems.push(`${job.file}: update.max_parallel must be 1`);
    if (update.health_check !== 'checks') problems.push(`${job.file}: update.health_check must be "checks"`);
    if (!(durationMs(update.min_healthy_time) > 0)) problems.push(`${job.file}: update.min_healthy_time missing`);
    if (update.auto_revert !== true) problems.push(`${job.file}: update.auto_revert must be true`);
    return problems;
  });

/** Instances of a service land on different nodes, so losing a node loses one of each. */
export const spreadsOverNodes: Rule = (jobs) =>
  service(jobs).flatMap((job) =>
    named(job.body, 'group').flatMap(([name, group]) =>
      blocks(group, 'spread').some((s) => s.attribute === '${node.unique.id}')
        ? []
        : [`${job.file}: group ${name} does not spread over \${node.unique.id}`],
    ),
  );

/** Traefik's Consul catalog refresh interval, read from the traefik job's configuration. */
export function traefikRefreshMs(jobs: Job[]): number {
  const traefik = jobs.find((j) => j.name === 'traefik');
  const config = traefik
    ? tasks(traefik)
        .flatMap((t) => blocks(t.body, 'template'))
        .map((t) => String(t.data))
    : [];
  const match = config.map((c) => /refreshInterval\s*=\s*"([^"]+)"/.exec(c)).find(Boolean);
  return match ? durationMs(match[1]) : NaN;
}

/** SIGTERM comes only after Traefik has dropped the instance: shutdown_delay > its refresh interval. */
export const shutdownDelayOutlastsTraefik: Rule = (jobs) => {
  const refresh = traefikRefreshMs(jobs);
  if (!(refresh > 0)) return ['traefik.nomad.hcl: no providers.consulCatalog refreshInterval'];
  return service(jobs).flatMap((job) =>
    tasks(job).flatMap((task) =>
      durationMs(task.body.shutdown_delay) > refresh
        ? []
        : [`${job.file}: task ${task.name} shutdown_delay must exceed Traefik's refreshInterval (${refresh} ms)`],
    ),
  );
};

/** Nomad must not SIGKILL a process still draining: kill_timeout > SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS. */
export const killTimeoutOutlastsShutdown: Rule = (jobs) =>
  service(jobs).flatMap((job) =>
    tasks(job).flatMap((task) => {
      const { plain } = renderedEnv(task);
      const timeout = Number(plain.SHUTDOWN_TIMEOUT_MS ?? 10_000);
      const drain = Number(plain.SHUTDOWN_DRAIN_MS ?? 0);
      return durationMs(task.body.kill_timeout) > timeout + drain
        ? []
        : [
            `${job.file}: task ${task.name} kill_timeout must exceed SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS (${drain + timeout} ms)`,
          ];
    }),
  );

/** Liveness on /healthz everywhere; readiness on /readyz where the process has stores to check. */
export const checksHealth: Rule = (jobs) =>
  service(jobs).flatMap((job) =>
    named(job.body, 'group').flatMap(([, group]) => {
      const paths = blocks(group, 'service').flatMap((s) =>
        blocks(s, 'check')
          .filter((c) => c.type === 'http')
          .map((c) => c.path),
      );
      const wanted = job.name === 'backend' || job.name === 'batches' ? ['/healthz', '/readyz'] : ['/healthz'];
      return wanted.filter((p) => !paths.includes(p)).map((p) => `${job.file}: no http check on ${p}`);
    }),
  );

/** Variables that carry credentials: only ever from Vault through a template, never in `env`. */
export const SECRET_VARIABLES = /(_URL$|SECRET|PASSWORD|_KEY$|_KEY_ID$)/;
const PUBLIC_URLS = new Set(['BACKEND_PUBLIC_URL', 'DASHBOARD_PUBLIC_URL', 'WEBSITE_PUBLIC_URL', 'STRIPE_API_BASE']);

export const secretsFromVault: Rule = (jobs) =>
  jobs.flatMap((job) =>
    tasks(job).flatMap((task) => {
      const problems: string[] = [];
      const { plain } = renderedEnv(task);
      for (const name of Object.keys(plain)) {
        if (SECRET_VARIABLES.test(name) && !PUBLIC_URLS.has(name))
          problems.push(`${job.file}: ${name} is set in env; secrets come from Vault through a template`);
      }
      const templates = blocks(task.body, 'template').map((t) => String(t.data));
      const readsVault = templates.some((t) => /\{\{\s*with secret /.test(t));
      if (readsVault && blocks(task.body, 'vault').length === 0)
        problems.push(`${job.file}: task ${task.name} reads Vault secrets without a vault block`);
      return problems;
    }),
  );

/** Images are tagged with the commit, from a variable without default, never `latest`. */
export const imageFromTagVariable: Rule = (jobs) =>
  service(jobs).flatMap((job) => {
    const problems: string[] = [];
    const variable = job.variables.image_tag;
    if (!variable) problems.push(`${job.file}: no image_tag variable`);
    else if ('default' in variable) problems.push(`${job.file}: image_tag must not have a default`);
    for (const task of tasks(job)) {
      for (const config of blocks(task.body, 'config')) {
        const image = String(config.image);
        if (!image.endsWith(':${var.image_tag}'))
          problems.push(`${job.file}: image ${image} is not tagged \${var.image_tag}`);
        if (/latest/.test(image)) problems.push(`${job.file}: image ${image} uses latest`);
      }
    }
    return problems;
  });

/** Traefik: a system job, Consul catalog provider, ping, forwarded headers trusted from the private network only. */
export const traefikAsSystemJob: Rule = (jobs) => {
  const traefik = jobs.find((j) => j.name === 'traefik');
  if (!traefik) return ['no traefik job'];
  const problems: string[] = [];
  if (traefik.body.type !== 'system') problems.push('traefik.nomad.hcl: type must be "system"');
  const config = tasks(traefik)
    .flatMap((t) => blocks(t.body, 'template'))
    .map((t) => String(t.data))
    .join('\n');
  if (!/\[providers\.consulCatalog\]/.test(config)) problems.push('traefik.nomad.hcl: no consulCatalog provider');
  if (!/\[ping\]/.test(config)) problems.push('traefik.nomad.hcl: ping is not enabled');
  const trusted = /trustedIPs\s*=\s*\[([^\]]*)\]/.exec(config);
  const ips = trusted ? [...trusted[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
  if (ips.length === 0) problems.push('traefik.nomad.hcl: forwardedHeaders.trustedIPs not set');
  for (const ip of ips)
    if (!/^10\./.test(ip)) problems.push(`traefik.nomad.hcl: trustedIPs ${ip} is not in the private network`);
  return problems;
};

/** Postgres and Redis run where their data is: the node with the volume, through a host volume. */
export const storesPinnedToVolume: Rule = (jobs) =>
  ['postgres', 'redis'].flatMap((name) => {
    const job = jobs.find((j) => j.name === name);
    if (!job) return [`no ${name} job`];
    const problems: string[] = [];
    const pinned = blocks(job.body, 'constraint').some(
      (c) => c.attribute === '${meta.spur_volume}' && String(c.value) === 'true',
    );
    if (!pinned) problems.push(`${job.file}: not constrained to meta.spur_volume`);
    const hostVolume = named(job.body, 'group').some(([, g]) => named(g, 'volume').some(([, v]) => v.type === 'host'));
    if (!hostVolume) problems.push(`${job.file}: no host volume`);
    return problems;
  });

/** Scheduled work runs in batches' own crontab (tested there), never as Nomad periodic/batch jobs. */
export const noPeriodicJobs: Rule = (jobs) =>
  jobs.flatMap((job) =>
    job.body.periodic || job.body.type === 'batch' || job.body.type === 'sysbatch'
      ? [
          `${job.file}: scheduled work belongs in batches' crontab, not a Nomad ${String(job.body.type ?? 'periodic')} job`,
        ]
      : [],
  );
