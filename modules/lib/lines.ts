/** Where new lines go when nothing matches: `EOF`, `BOF`, or after/before the last line matching a regex. */
export interface InsertAt {
  insertAfter?: string;
  insertBefore?: string;
}

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** Lines back to text; a changed file always ends with a newline. */
export function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function lastMatch(lines: readonly string[], re: RegExp): number {
  for (let i = lines.length - 1; i >= 0; i--) if (re.test(lines[i]!)) return i;
  return -1;
}

/** The index new lines are inserted at, as Ansible does: the last match wins, no match means EOF. */
export function insertIndex(lines: readonly string[], at: InsertAt): number {
  if (at.insertBefore !== undefined) {
    if (at.insertBefore === 'BOF') return 0;
    const i = lastMatch(lines, new RegExp(at.insertBefore));
    return i < 0 ? lines.length : i;
  }
  if (at.insertAfter === 'BOF') return 0;
  if (at.insertAfter === undefined || at.insertAfter === 'EOF') return lines.length;
  const i = lastMatch(lines, new RegExp(at.insertAfter));
  return i < 0 ? lines.length : i + 1;
}
