import fs from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';

/**
 * Nomad job files as data: @cdktf/hcl2json turns HCL into JSON (blocks become arrays of objects,
 * expressions stay as "${...}" strings), and the rules below read that.
 */
export const root = path.resolve(import.meta.dirname, '../../..');
export const nomadDir = path.join(root, 'deploy', 'nomad');

type Block = Record<string, unknown>;
export type Job = { file: string; name: string; body: Block; variables: Record<string, Block> };
export type Task = { group: string; name: string; body: Block; groupBody: Block };

export async function parseJob(file: string, text = fs.readFileSync(file, 'utf8')): Promise<Job> {
  const doc = (await parse(path.basename(file), text)) as {
    job?: Record<string, Block[]>;
    variable?: Record<string, Block[]>;
  };
  const [name, bodies] = Object.entries(doc.job ?? {})[0] ?? [];
  if (!name || !bodies) throw new Error(`${file}: no job block`);
  const variables = Object.fromEntries(Object.entries(doc.variable ?? {}).map(([k, v]) => [k, v[0]!]));
  return { file: path.basename(file), name, body: bodies[0]!, variables };
}

export async function allJobs(): Promise<Job[]> {
  const files = fs.readdirSync(nomadDir).filter((f) => f.endsWith('.nomad.hcl'));
  return Promise.all(files.map((f) => parseJob(path.join(nomadDir, f))));
}

export const blocks = (body: Block | undefined, key: string): Block[] => (body?.[key] as Block[] | undefined) ?? [];
export const named = (body: Block | undefined, key: string): [string, Block][] =>
  Object.entries((body?.[key] as Record<string, Block[]> | undefined) ?? {}).map(([n, b]) => [n, b[0]!]);

export function tasks(job: Job): Task[] {
  return named(job.body, 'group').flatMap(([group, groupBody]) =>
    named(groupBody, 'task').map(([name, body]) => ({ group, name, body, groupBody })),
  );
}

/** Go duration strings as Nomad writes them ("10s", "1m30s", "500ms") in milliseconds. */
export function durationMs(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = value;
  while (rest.length) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) return NaN;
    total += Number(match[1]) * units[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return total;
}

/**
 * Every variable a task's process is given: its `env` block plus `KEY=value` lines of templates
 * rendered with `env = true` (where Vault secrets come in).
 */
export function renderedEnv(task: Task): { plain: Record<string, string>; templated: string[] } {
  const plain = Object.assign({}, ...blocks(task.body, 'env')) as Record<string, string>;
  const templated = blocks(task.body, 'template')
    .filter((t) => t.env === true)
    .flatMap((t) => [...String(t.data).matchAll(/^\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
  return { plain, templated };
}

/** The services Spur builds images for: rolled, checked, spread; the rest are infrastructure. */
export const SERVICES = ['backend', 'batches', 'dashboard', 'website'] as const;
