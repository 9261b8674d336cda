import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';
import { build } from 'esbuild';

export type TrackerAsset = {
  /** Minified JavaScript, an IIFE that touches nothing but `window.spur` and `window.spur404`. */
  code: string;
  /** `code` gzipped once at the highest level, so every response reuses the same bytes. */
  gzip: Buffer;
  /** Strong ETag (quoted) derived from the code, stable across processes and restarts. */
  etag: string;
};

const entry = fileURLToPath(new URL('./spur.ts', import.meta.url));

// es2019 keeps object spread, for...of and arrow functions untouched while still running on every
// browser that has sendBeacon; an IIFE keeps the script's names out of the page's global scope.
async function compile(): Promise<TrackerAsset> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    target: 'es2019',
    format: 'iife',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  // The directive only echoes the ES module source; nothing in the script depends on strict mode.
  const code = result.outputFiles[0]!.text.trim().replace(/^"use strict";/, '');
  const gzip = gzipSync(code, { level: constants.Z_BEST_COMPRESSION });
  const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`;
  return { code, gzip, etag };
}

let cached: Promise<TrackerAsset> | undefined;

/**
 * Builds spur.js once per process (about 50 ms) and hands every caller the same result. A failed
 * build is not cached, so the next request tries again instead of serving an error forever.
 */
export function buildTrackerAsset(): Promise<TrackerAsset> {
  cached ??= compile().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
