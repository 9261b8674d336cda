import type { Logger } from '@spur/runtime';

/**
 * A continuous worker (the flusher) or a periodic job. `start` returns a handle whose `stop`
 * finishes the unit of work in hand and resolves; the process closes stores only after that.
 */
export type Worker = {
  name: string;
  start: (log: Logger) => Promise<{ stop: () => Promise<void> }> | { stop: () => Promise<void> };
};
