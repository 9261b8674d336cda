/**
 * Every string that enters through ingest is made well-formed UTF-16: a lone surrogate (half of
 * an emoji, say, from a title cut with `slice` in the page's JavaScript; JSON.stringify sends it as
 * `"\ud800"`) becomes U+FFFD, the character any UTF-8 encoder writes for it. Refusing the hit
 * instead would lose a page view over one unprintable character of its title. Left as it was,
 * the lone surrogate reached ClickHouse as a `\ud800` escape that it cannot parse, and the page
 * view went to the dead-letter stream while its session still counted it (issue 13).
 */
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };

export function wellFormed(value: string): string {
  // Native since Node 20 (ES2024); the project's TypeScript lib is ES2023.
  const text = value as Es2024String;
  return text.isWellFormed() ? value : text.toWellFormed();
}
