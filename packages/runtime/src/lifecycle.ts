import type { Logger } from 'pino';

type Step = { name: string; run: () => Promise<void> | void };

/**
 * Ordered shutdown: steps run last-registered-first (stop accepting → drain work → close stores),
 * each bounded by the remaining budget so a hung store cannot keep the process alive forever.
 */
export class Lifecycle {
  private readonly steps: Step[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly timeoutMs: number,
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
