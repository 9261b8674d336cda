import { readFileSync } from 'node:fs';

/**
 * The enrichment lists live as plain files under `packages/ingest/data/` so that they can be
 * reviewed and extended without touching code. They are read once, on first use, never per request.
 */
export function dataFileUrl(name: string): URL {
  return new URL(`../../data/${name}`, import.meta.url);
}

/** Non-empty lines without `#` comments, trimmed and lowercased. */
export function readListFile(name: string): string[] {
  return readFileSync(dataFileUrl(name), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim().toLowerCase())
    .filter((line) => line !== '');
}

export function readJsonFile(name: string): unknown {
  return JSON.parse(readFileSync(dataFileUrl(name), 'utf8'));
}
