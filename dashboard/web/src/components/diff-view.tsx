/**
 * A unified diff as text: each line is a text node in its own span (React escapes it), coloured by
 * its first character. Whatever a diff holds — markup included — shows as the characters it is.
 */
export function DiffView({ diff }: { diff: string }) {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre className="diff" aria-label="diff">
      {lines.map((line, i) => (
        <span key={i} className={kind(line)}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

function kind(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return 'diff-ctx';
}
