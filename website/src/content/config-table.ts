import fs from 'node:fs';
import path from 'node:path';

const readmePath = path.resolve(import.meta.dirname, '../../../README.md');

/**
 * The self-hosting docs show the README's configuration table itself, so the list of environment
 * variables has one source (and packages/config's test keeps the README complete). An image built
 * without the README still boots; the page then points at the repository instead.
 */
export function readConfigTable(file = readmePath): string {
  let readme: string;
  try {
    readme = fs.readFileSync(file, 'utf8');
  } catch {
    return "The variables are listed in the **Configuration** section of the repository's `README.md` and in `.env.example`.";
  }
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration'));
  const table = section
    ?.split('\n')
    .filter((line) => line.startsWith('|'))
    .join('\n');
  if (!table) throw new Error(`${file}: no table in the "## Configuration" section`);
  return table;
}
