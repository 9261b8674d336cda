import type { Logger } from 'pino';

type Step = { name: string; run: () => Promise<void> | void };

/**
 * Ordered shutdown: steps run last-registered-first (stop accepting → drain work → close stores),
 * each bounded by the remaining budget so a hung store cannot keep the process alive forever.
 *
 * `drainMs`: after the stop signal the process keeps serving this long with `isStopping` already
 * true (so /readyz answers 503) before the first step closes the listener. A balancer that learns
 * about instances from health checks (haproxy every 300 ms, Traefik's catalog refresh) moves away
 * during that window; closing the listener at once lost 13–309 requests per rolling restart in our
 * rehearsal (deploy/README.md). The drain does not count against `timeoutMs`.
 */
export class Lifecycle {
  private readonly steps: Step[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly timeoutMs: number,
    private readonly drainMs = 0,
  ) {}

  onStop(name: string, run: Step['run']): void {
    this.steps.push({ name, run });
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  stop(reason: string): Promise<void> {
    this.stopping ??= this.runSteps(reason);
    return this.stopping;
  }

  /** Wires SIGTERM/SIGINT to `stop`, then exits with 0 (or 1 if a step failed or timed out). */
  handleSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.isStopping) return;
      this.log.info({ signal }, 'shutting down');
      this.stop(signal).then(
        () => exit(0),
        () => exit(1),
      );
    };
    // `on`, not `once`: a terminal's Ctrl-C can arrive twice (process group + a wrapper relaying
    // it), and a second signal with no listener would kill us halfway through draining.
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  private async runSteps(reason: string): Promise<void> {
    if (this.drainMs > 0) {
      this.log.info({ drainMs: this.drainMs, reason }, 'draining: not ready, still serving');
      await new Promise((resolve) => setTimeout(resolve, this.drainMs));
    }
    const deadline = Date.now() + this.timeoutMs;
    let failed = false;
    for (const step of [...this.steps].reverse()) {
      const budget = Math.max(deadline - Date.now(), 100);
      try {
        await withTimeout(Promise.resolve().then(step.run), budget, step.name);
        this.log.debug({ step: step.name, reason }, 'stopped');
      } catch (error) {
        failed = true;
        this.log.error({ step: step.name, err: error }, 'shutdown step failed');
      }
    }
    if (failed) throw new Error('shutdown incomplete');
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
