import { z } from 'zod';
import { script, type Command } from '../../runner/shell/command.js';
import { quote } from '../../runner/shell/quote.js';
import { absolutePath } from './schemas.js';
import { octalMode } from './mode.js';
import type { FileState } from './file-state.js';
import { planContentWrite } from './plan-write.js';
import type { ModuleContext, Plan } from '../../runner/module/types.js';

/** Params every whole-file writer shares (copy, template, …). */
export const writeParams = {
  dest: absolutePath,
  owner: z.string().min(1).optional(),
  group: z.string().min(1).optional(),
  mode: octalMode.optional(),
  /** Keep the replaced file as `DEST.<timestamp>~`. */
  backup: z.boolean().default(false),
  /**
   * A shell command run with the new file in place (`%s` is its quoted path); when it fails the
   * previous file is restored byte for byte and the task fails with the command's output.
   */
  validate: z.string().min(1).optional(),
  /** The content is secret: diffs show which lines changed and their keys, never a value. */
  secret: z.boolean().optional(),
  /**
   * Write through a symbolic link at `dest` to its target. Off by default (as Ansible's `follow`):
   * the link itself is replaced by the file, and its target is left alone.
   */
  follow: z.boolean().default(false),
};

type WriteParams = z.output<z.ZodObject<typeof writeParams>>;

/** The shared write path of copy and template, once the content is known. */
export function planDestWrite(
  p: WriteParams,
  content: Buffer | string,
  state: FileState,
  ctx: Pick<ModuleContext, 'diff'>,
): Plan {
  return planContentWrite(
    { ...p, path: p.dest, content, validate: validateCommand(p.validate, p.dest) },
    state,
    ctx,
  );
}

export function validateCommand(validate: string | undefined, dest: string): Command | undefined {
  return validate === undefined ? undefined : script(validate.replaceAll('%s', quote(dest)));
}
