/** Shared bits of the benchmarks: argument parsing, child processes, the one-line result. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { spawnProcess, type SpawnedProcess } from '@spur/testkit';

export const quick = process.argv.includes('--quick');

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function line(name: string, ratio: number, fields: Record<string, string | number>): string {
  const rest = Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `bench:${name} ratio=${ratio.toFixed(2)} ${rest}`;
}

/** Runs a bench helper script as its own process and waits for the line it prints when ready. */
export async function startChild(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: SpawnedProcess; url: string }> {
  const child = spawnProcess(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
  });
  const match = await child.waitFor(/^listening (http:\/\/\S+)$/m, 120_000);
  return { child, url: match[1]! };
}

let ticksPerSecond: number | undefined;

/** Parent pid and CPU ticks of every process, from /proc. */
function processTable(): Map<number, { parent: number; ticks: number }> {
  const processes = new Map<number, { parent: number; ticks: number }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name, which may hold spaces: state, ppid, ... utime (14th), stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    processes.set(Number(name), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return processes;
}

/** `root` and every process it started, directly or not. */
function treeOf(root: number, processes: Map<number, { parent: number }>): Set<number> {
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, p] of processes) {
      if (!tree.has(pid) && tree.has(p.parent)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return tree;
}

/** Resident memory (MB) of a process and everything it started (its Redis, say): NaN without /proc. */
export function treeRssMb(root: number): number {
  if (!fs.existsSync('/proc/self/status')) return NaN;
  let kb = 0;
  for (const pid of treeOf(root, processTable())) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return kb / 1024;
}

/**
 * CPU seconds (user + system) that a process and everything it started (an embedded Redis, say)
 * have used so far, from /proc: NaN where there is none. On a shared VM, CPU time per request moves
 * far less than requests per second, which stolen cycles drag down.
 */
export function treeCpuSeconds(root: number): number {
  if (!fs.existsSync('/proc/self/stat')) return NaN;
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  const processes = processTable();
  let ticks = 0;
  for (const pid of treeOf(root, processes)) ticks += processes.get(pid)?.ticks ?? 0;
  return ticks / ticksPerSecond;
}
