import path from 'node:path';
import { envSchema, type Env } from './schema.ts';

export type Config = Readonly<
  Env & {
    /** DATA_DIR resolved against the working directory. */
    dataDir: string;
    backendUrl: string;
    dashboardUrl: string;
    websiteUrl: string;
  }
>;

export class ConfigError extends Error {
  readonly variables: string[];
  constructor(issues: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.variables = issues.map((i) => i.variable);
  }
}

type Source = Record<string, string | undefined>;

/**
 * Parses and validates the environment once. Throws a ConfigError naming every bad variable.
 * `overrides` win over the environment; tests and `npm run dev` use them instead of mutating
 * `process.env`.
 */
export function loadConfig(overrides: Source = {}, source: Source = process.env): Config {
  const parsed = envSchema.safeParse({ ...source, ...overrides });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(root)'),
        message: issue.message,
      })),
    );
  }
  const env = parsed.data;
  const local = (port: number) => `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;
  return Object.freeze({
    ...env,
    dataDir: path.resolve(env.DATA_DIR),
    backendUrl: env.BACKEND_PUBLIC_URL ?? local(env.BACKEND_PORT),
    dashboardUrl: env.DASHBOARD_PUBLIC_URL ?? local(env.DASHBOARD_PORT),
    websiteUrl: env.WEBSITE_PUBLIC_URL ?? local(env.WEBSITE_PORT),
  });
}

/** For process entry points: print the problem and exit instead of throwing a stack trace. */
export function loadConfigOrExit(overrides: Source = {}): Config {
  try {
    return loadConfig(overrides);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** Names of every variable the schema knows, for docs checks. */
export function configVariableNames(): string[] {
  return Object.keys(envSchema.shape);
}
