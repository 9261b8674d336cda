import type { Registry } from 'prom-client';
import type { Logger } from '@spur/runtime';

/**
 * A continuous worker (the flusher, the job runner). `start` returns a handle whose `stop`
 * finishes the unit of work in hand and resolves; the process closes stores only after that.
 */
export type Worker = {
  name: string;
  start: (
    log: Logger,
    context: { registry: Registry },
  ) => Promise<{ stop: () => Promise<void> }> | { stop: () => Promise<void> };
};
