/**
 * Whether `text` matches a glob where `*` is any run of characters and `?` one character;
 * everything else matches itself (queue names hold dots, colons and brackets).
 */
export function matchesGlob(pattern: string, text: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === text;
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(text);
}
