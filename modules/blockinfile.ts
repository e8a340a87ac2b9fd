import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import {
  editParams,
  fileStateProbe,
  insertIndex,
  joinLines,
  planEdit,
  splitLines,
  type FileState,
} from './lib/index.js';

const blockParams = z.object({
  ...editParams,
  /** The lines between the markers; an empty block removes the markers too. */
  block: z.string().default(''),
  /** Names the block, so several can live in one file. */
  name: z
    .string()
    .refine((n) => !n.includes('\n'), 'no newline')
    .optional(),
  /** The marker line; `{mark}` becomes BEGIN or END. */
  marker: z
    .string()
    .refine((m) => m.includes('{mark}') && !m.includes('\n'), 'one line containing {mark}')
    .optional(),
});
type BlockParams = z.output<typeof blockParams>;

/** A block of lines between `# BEGIN/END VSA MANAGED BLOCK <name>` markers, replaced as a whole. */
export const blockInFile = defineModule({
  name: 'blockinfile',
  description: 'Ensure a marked block of lines is present in, or absent from, a file',
  params: blockParams,
  read: (p) => fileStateProbe(p.path, { withContent: true }),
  plan: (p, state: FileState, ctx) => planEdit(p, state, ctx, (text) => editBlock(text, p)),
});

export function markers(p: Pick<BlockParams, 'marker' | 'name'>): [string, string] {
  const m = p.marker ?? `# {mark} VSA MANAGED BLOCK${p.name ? ` ${p.name}` : ''}`;
  return [m.replace('{mark}', 'BEGIN'), m.replace('{mark}', 'END')];
}

export function editBlock(text: string, p: BlockParams): string {
  const lines = splitLines(text);
  const [begin, end] = markers(p);
  const b = lines.indexOf(begin);
  const e = b < 0 ? -1 : lines.indexOf(end, b + 1);
  const wanted = p.state === 'absent' || p.block === '' ? [] : [begin, ...splitLines(p.block), end];
  if (b >= 0 && e >= 0) {
    const current = lines.slice(b, e + 1);
    if (current.length === wanted.length && current.every((l, i) => l === wanted[i])) return text;
    lines.splice(b, e - b + 1, ...wanted);
    return joinLines(lines);
  }
  if (wanted.length === 0) return text;
  lines.splice(insertIndex(lines, p), 0, ...wanted);
  return joinLines(lines);
}
