/**
 * Python's `shlex.split(line, comments=True)` (POSIX mode), which Ansible's ini plugin uses to
 * split a host line into the host and its `key=value` variables: quotes group and are removed,
 * a backslash escapes, and `#` starts a comment.
 */
export function shlexSplit(line: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false;
  let i = 0;
  const emit = () => {
    if (inToken) tokens.push(token);
    token = '';
    inToken = false;
  };
  while (i < line.length) {
    const c = line[i++]!;
    if (/\s/.test(c)) emit();
    else if (c === '#') {
      emit();
      return tokens;
    } else if (c === '\\') {
      if (i >= line.length) throw new Error('No escaped character');
      token += line[i++];
      inToken = true;
    } else if (c === "'" || c === '"') {
      inToken = true;
      for (;;) {
        if (i >= line.length) throw new Error('No closing quotation');
        const d = line[i++]!;
        if (d === c) break;
        if (c === '"' && d === '\\' && (line[i] === '"' || line[i] === '\\')) token += line[i++];
        else token += d;
      }
    } else {
      token += c;
      inToken = true;
    }
  }
  emit();
  return tokens;
}
