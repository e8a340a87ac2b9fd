import { z } from 'zod';
import type { ModuleContext, Plan } from '../../runner/module/types.js';
import type { FileState } from './file-state.js';
import { octalMode } from './mode.js';
import { planContentWrite } from './plan-write.js';
import { absolutePath, regexSource } from './schemas.js';

/** Params the in-place editors share (lineinfile, blockinfile). */
export const editParams = {
  path: absolutePath,
  state: z.enum(['present', 'absent']).default('present'),
  /** `EOF`, `BOF` or a regex: insert after its last matching line (EOF when none matches). */
  insertAfter: z.union([z.literal('EOF'), z.literal('BOF'), regexSource]).optional(),
  /** `BOF` or a regex: insert before its last matching line (EOF when none matches). */
  insertBefore: z.union([z.literal('BOF'), regexSource]).optional(),
  /** Create the file when it is absent (otherwise that is a failure). */
  create: z.boolean().default(false),
  owner: z.string().min(1).optional(),
  group: z.string().min(1).optional(),
  mode: octalMode.optional(),
  backup: z.boolean().default(false),
};

type EditParams = z.output<z.ZodObject<typeof editParams>>;

/**
 * Edits a file in place, computed here from the content the probe sent (read with
 * `withContent: true`): one read, then at most one atomic write of the whole file.
 */
export function planEdit(
  p: EditParams,
  state: FileState,
  ctx: Pick<ModuleContext, 'diff'>,
  edit: (text: string) => string,
): Plan {
  if (state.link) return { commands: [], fail: `${p.path} is a symbolic link: not followed (edit the file it points to)` };
  if (!state.exists) {
    if (p.state === 'absent') return { commands: [] };
    if (!p.create) return { commands: [], fail: `${p.path} does not exist (create: true creates it)` };
  } else if (state.type !== 'file') {
    return { commands: [], fail: `${p.path} is a ${state.type}, not a regular file` };
  } else if (!state.content) {
    return { commands: [], fail: `${p.path} is too large (${state.size} bytes) to edit in place` };
  }
  // Unchanged text has the same sha256, so only owner/group/mode can still differ.
  return planContentWrite({ ...p, content: edit(state.content?.toString('utf8') ?? '') }, state, ctx);
}
