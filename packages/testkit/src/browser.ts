import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Debian's Chromium, headless, with the flags this closed network needs (no background calls). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** Where screenshots go for people to look at (gitignored). */
export async function screenshotPath(...parts: string[]): Promise<string> {
  const file = path.join(root, 'screenshots', ...parts);
  await fs.mkdir(path.dirname(file), { recursive: true });
  return file;
}
