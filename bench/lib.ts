/** Shared bits of the benchmarks: argument parsing, child processes, the one-line result. */
import { spawnProcess, type SpawnedProcess } from '@spur/testkit';

export const quick = process.argv.includes('--quick');

export function line(name: string, ratio: number, fields: Record<string, string | number>): string {
  const rest = Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `bench:${name} ratio=${ratio.toFixed(2)} ${rest}`;
}

/** Runs a bench helper script as its own process and waits for the line it prints when ready. */
export async function startChild(script: string, args: string[], env: Record<string, string> = {}): Promise<{ child: SpawnedProcess; url: string }> {
  const child = spawnProcess(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
  });
  const match = await child.waitFor(/^listening (http:\/\/\S+)$/m, 120_000);
  return { child, url: match[1]! };
}
