/**
 * A goal's path glob as the anchored RE2 expression it is matched with: `*` is one path segment,
 * `**` anything, every other character literal. Free of imports, so the dashboard can use the very
 * same function to filter by a goal (`@spur/stats/goal-pattern`) and count what the goal's row counts.
 */
export function globToRegex(glob: string): string {
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return `^${glob
    .split('**')
    .map((part) => part.split('*').map(escape).join('[^/]+'))
    .join('.*')}$`;
}
