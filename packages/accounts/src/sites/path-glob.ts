/**
 * Path patterns of traffic filters (`/admin/*`: `*` matches any run of characters, `/` included;
 * everything else is literal; the whole path must match).
 *
 * Why not a RegExp: these patterns are written by site owners and run on every unauthenticated hit.
 * `/*a*a*a*a*b` compiled to `^/.*a.*a.*a.*a.*b$` backtracks exponentially in V8: one hit with a
 * 2,000-character path froze the event loop (and `/healthz` with it) for good (issue 13). With
 * only `*` as a wildcard, the leftmost occurrence of each literal piece is always the right one
 * (any later one leaves less text for the rest), so one left-to-right scan decides: no step is
 * ever retried, and the work is bounded by path length × pattern length.
 */
export type PathGlob = {
  /** The literal text before the first `*` (or the whole pattern when it has none). */
  head: string;
  /** The literal pieces between stars, in order. */
  middle: string[];
  /** The literal text after the last `*`; undefined when the pattern has no star. */
  tail: string | undefined;
};

export function parsePathGlob(pattern: string): PathGlob {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return { head: pattern, middle: [], tail: undefined };
  return { head: pieces[0]!, middle: pieces.slice(1, -1).filter((p) => p !== ''), tail: pieces.at(-1)! };
}

export function matchPathGlob(glob: PathGlob, path: string): boolean {
  if (glob.tail === undefined) return path === glob.head;
  if (path.length < glob.head.length + glob.tail.length || !path.startsWith(glob.head)) return false;
  // The tail is pinned to the end; the middle pieces must fit, in order, in what lies between.
  const end = path.length - glob.tail.length;
  if (!path.endsWith(glob.tail)) return false;
  let at = glob.head.length;
  for (const piece of glob.middle) {
    const found = path.indexOf(piece, at);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** A matcher for one pattern, parsed once (the ingest step keeps these per pattern). */
export function compilePathPattern(pattern: string): (path: string) => boolean {
  const glob = parsePathGlob(pattern);
  return (path) => matchPathGlob(glob, path);
}
