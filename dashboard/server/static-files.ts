import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The files of the dashboard's build, and nothing else. A request path names a file only if every
 * segment is a plain name: no `..`, no dotfiles (`.env`, `.git`), no `@` segments (Vite's dev-only
 * `/@fs/`, `/@vite/`), no backslashes or NUL; and the resolved real path (symlinks followed) must
 * still lie inside the build directory.
 */
export type StaticFile = { file: string; size: number; type: string; immutable: boolean };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The segments of a safe request path, or undefined when the path may not name a file. */
export function safeSegments(urlPath: string): string[] | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || /[\\\0]/.test(decoded)) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  const plain = segments.every((s) => !s.startsWith('.') && !s.startsWith('@') && s !== '..');
  return plain ? segments : undefined;
}

export async function openStaticRoot(dir: string) {
  const root = await fs.realpath(dir);
  return {
    root,
    /** The file a request path names inside the build, or undefined (missing, a directory, or not allowed). */
    async find(urlPath: string): Promise<StaticFile | undefined> {
      const segments = safeSegments(urlPath);
      if (!segments || segments.length === 0) return undefined;
      try {
        const file = await fs.realpath(path.join(root, ...segments));
        if (!file.startsWith(root + path.sep)) return undefined;
        const stat = await fs.stat(file);
        if (!stat.isFile()) return undefined;
        const ext = path.extname(file).toLowerCase();
        return {
          file,
          size: stat.size,
          type: TYPES[ext] ?? 'application/octet-stream',
          // Vite names built assets by content hash: they never change under the same URL.
          immutable: segments[0] === 'assets',
        };
      } catch {
        return undefined;
      }
    },
  };
}
