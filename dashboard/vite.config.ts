import { gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const BUDGET_KB = 200;

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

export default defineConfig({
  plugins: [vue(), initialJsBudget()],
  build: { outDir: 'dist', sourcemap: true },
});
