import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Command, type Redis } from 'ioredis';

const RULES = fs.readFileSync(new URL('./session-rules.lua', import.meta.url), 'utf8');

export type Script = { lua: string; sha: string };

/** A script of this folder, with the session rules in place of its `-- @rules` line. */
export function loadScript(name: string): Script {
  const lua = fs.readFileSync(new URL(`./${name}`, import.meta.url), 'utf8').replace('-- @rules', () => RULES);
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/** A script call as a bare command (EVALSHA, or EVAL to load it). */
export function scriptCommand(script: Script, how: 'evalsha' | 'eval', keys: string[], args: (string | number)[]) {
  return new Command(how, [how === 'evalsha' ? script.sha : script.lua, keys.length, ...keys, ...args], {
    replyEncoding: 'utf8',
  });
}

/** Runs a script, loading it first when the server does not know it yet (a restart, a new primary). */
export async function runScript<T>(
  redis: Redis,
  script: Script,
  keys: string[],
  args: (string | number)[],
): Promise<T> {
  try {
    return (await redis.sendCommand(scriptCommand(script, 'evalsha', keys, args))) as T;
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
    return (await redis.sendCommand(scriptCommand(script, 'eval', keys, args))) as T;
  }
}
