import { runBatchesProcess } from './process.ts';

await runBatchesProcess();
