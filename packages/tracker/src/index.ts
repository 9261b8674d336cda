export { buildTrackerAsset, type TrackerAsset } from './build.ts';
export type { EventOptions, SpurGlobals } from './browser.types.ts';
