import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { withTimeout } from '@spur/runtime';
import type { Logger } from '@spur/runtime';

export type ChildServer = {
  pid: number;
  /** Resolves once the process has exited (or was killed after `timeoutMs`). */
  stop: (timeoutMs?: number) => Promise<void>;
};

type SpawnOptions = {
  name: string;
  command: string;
  args: string[];
  /** A line on stdout/stderr that means "ready". */
  ready: RegExp;
  log: Logger;
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /** Signal that asks the server for a clean, durable shutdown. */
  stopSignal: NodeJS.Signals;
};

/**
 * Starts a database server as a child in its own process group: Ctrl-C in a terminal reaches only
 * the Node parent, which then stops children after draining its own work. A child outlives a
 * SIGKILLed parent; `stopStaleServer` cleans up after that on the next start.
 */
export async function spawnServer(options: SpawnOptions): Promise<ChildServer> {
  const child = spawn(options.command, options.args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
    ...(options.env ? { env: options.env } : {}),
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output: string[] = [];

  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output.push(text);
      if (output.length > 50) output.shift();
      if (options.ready.test(text)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `${options.name} exited before it was ready (code ${code}, signal ${signal}):\n${output.join('').slice(-2000)}`,
        ),
      ),
    );
  });

  try {
    await withTimeout(ready, options.startTimeoutMs ?? 30_000, `${options.name} start`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  // Keep draining pipes so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  options.log.info({ pid: child.pid }, `${options.name} started`);

  return {
    pid: child.pid!,
    stop: (timeoutMs = 15_000) => stopChild(child, exited, options.stopSignal, timeoutMs),
  };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<void>,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  try {
    await withTimeout(exited, timeoutMs, 'server stop');
  } catch {
    child.kill('SIGKILL');
    await exited;
  }
}

/** True if `pid` is a live process whose command line contains `expected`. */
export async function isLiveProcess(pid: number, expected: string): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(expected);
  } catch {
    // No /proc (macOS): trust the signal probe.
    return true;
  }
}

/**
 * A parent killed with SIGKILL leaves its database server running on the data directory.
 * Find it through its pid file and stop it (politely, then by force) before starting anew.
 */
export async function stopStaleServer(options: {
  pidFile: string;
  expected: string;
  signal: NodeJS.Signals;
  log: Logger;
  timeoutMs?: number;
}): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt((await fs.readFile(options.pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !(await isLiveProcess(pid, options.expected))) return;

  options.log.warn({ pid, pidFile: options.pidFile }, 'stopping a stale server left by an earlier run');
  process.kill(pid, options.signal);
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    if (!(await isLiveProcess(pid, options.expected))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(pid, 'SIGKILL');
  while (await isLiveProcess(pid, options.expected)) await new Promise((r) => setTimeout(r, 50));
}
