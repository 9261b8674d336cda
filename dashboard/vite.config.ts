import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const BUDGET_KB = 200;

const dashboard = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(dashboard);

/**
 * What the dev server may read: the dashboard, the installed modules, and the sources of the
 * workspace packages the dashboard depends on. By default Vite allows the whole workspace root,
 * which is the repository: `/@fs/<repo>/.data/postgres.password` answered 200 (issue 13).
 */
function servedDirectories(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(dashboard, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const workspace = Object.keys(manifest.dependencies ?? {})
    .filter((name) => name.startsWith('@spur/'))
    .map((name) => realpathSync(path.join(repo, 'node_modules', name)));
  return [dashboard, path.join(repo, 'node_modules'), ...workspace];
}

/**
 * Never served, even inside an allowed directory (deny wins over allow): Vite's own defaults, the
 * embedded engines' data and anything holding a password or key.
 */
const DENIED = [
  '.env',
  '.env.*',
  '*.{crt,pem,key,p12,pfx,cer,der}',
  '.npmrc',
  '.yarnrc.yml',
  '**/.git/**',
  '**/.data/**',
  '*.password',
  '*.{sqlite,db}',
];

/**
 * Prints the JavaScript a first visit downloads (the entry chunk and everything it imports
 * statically, gzipped) and fails the build above the budget. Lazy routes and charts do not count.
 */
function initialJsBudget(): Plugin {
  return {
    name: 'spur-initial-js-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])),
      );
      const seen = new Set<string>();
      const visit = (name: string) => {
        const chunk = chunks.get(name);
        if (!chunk || seen.has(name)) return;
        seen.add(name);
        chunk.imports.forEach(visit);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const bytes = [...seen].reduce((sum, name) => sum + gzipSync(chunks.get(name)!.code, { level: 9 }).length, 0);
      const kb = bytes / 1024;
      this.info(`initial JS: ${kb.toFixed(1)} KB gzipped in ${seen.size} chunk(s) (budget ${BUDGET_KB} KB)`);
      process.stdout.write(`\ninitial JS: ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)\n`);
      if (kb > BUDGET_KB) this.error(`initial JS is ${kb.toFixed(1)} KB gzipped, over the ${BUDGET_KB} KB budget`);
    },
  };
}

/**
 * The dev server only (`npm run dev`, `npx vite`). Production serves the files `vite build` writes
 * to `dist/`: the bundle and its source maps, made from what the dashboard imports, so no file of
 * the data directory can be reached through it.
 */
export default defineConfig({
  plugins: [vue(), initialJsBudget()],
  build: { outDir: 'dist', sourcemap: true },
  server: {
    // The dashboard calls the API through the dev server's own /api proxy: no other origin needs
    // to read what it serves (Vite's default echoed any localhost Origin).
    cors: false,
    fs: { strict: true, allow: servedDirectories(), deny: DENIED },
  },
});
