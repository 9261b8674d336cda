/**
 * A sessionizer alone in its own process, for sessionizer-crash.test.ts to SIGKILL mid-batch.
 * argv: Redis URL, consumer name. Small batches and a short lease, so a kill lands between and
 * inside batches and a takeover comes soon.
 */
import { createSessionizer } from '@spur/ingest';
import { createLogger } from '@spur/runtime';
import { openRedis } from '@spur/storage';

const [url, consumer] = process.argv.slice(2);
const redis = openRedis(url!);
const sessionizer = createSessionizer({
  redis,
  log: createLogger({ LOG_LEVEL: 'warn' }, 'sessionizer-child'),
  leaseMs: 1_000,
  batch: 40,
  consumer: consumer!,
});
sessionizer.start();
process.stdout.write('started\n');
