import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import {
  editParams,
  fileStateProbe,
  insertIndex,
  joinLines,
  lastMatch,
  planEdit,
  regexSource,
  splitLines,
  type FileState,
} from './lib/index.js';

const lineParams = z
  .object({
    ...editParams,
    line: z
      .string()
      .refine((l) => !l.includes('\n'), 'one line, without newline')
      .optional(),
    /** A JavaScript regex: present replaces its last matching line; absent removes every match. */
    regexp: regexSource.optional(),
  })
  .refine((p) => p.state === 'absent' || p.line !== undefined, 'line is required with state present')
  .refine(
    (p) => p.state === 'present' || p.line !== undefined || p.regexp !== undefined,
    'absent needs line or regexp',
  );
type LineParams = z.output<typeof lineParams>;

/** One line present (replacing the last `regexp` match, else inserted) or absent, as Ansible's lineinfile. */
export const lineInFile = defineModule({
  name: 'lineinfile',
  description: 'Ensure a line is present in, or absent from, a file',
  params: lineParams,
  read: (p) => fileStateProbe(p.path, { withContent: true }),
  plan: (p, state: FileState, ctx) => planEdit(p, state, ctx, (text) => editLine(text, p)),
});

export function editLine(text: string, p: LineParams): string {
  const lines = splitLines(text);
  const re = p.regexp === undefined ? undefined : new RegExp(p.regexp);
  if (p.state === 'absent') {
    const kept = lines.filter((l) => (re ? !re.test(l) : l !== p.line));
    return kept.length === lines.length ? text : joinLines(kept);
  }
  const line = p.line!;
  const hit = re ? lastMatch(lines, re) : -1;
  if (hit >= 0) {
    if (lines[hit] === line) return text;
    lines[hit] = line;
    return joinLines(lines);
  }
  if (lines.includes(line)) return text;
  lines.splice(insertIndex(lines, p), 0, line);
  return joinLines(lines);
}
