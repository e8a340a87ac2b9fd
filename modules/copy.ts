import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { fileStateProbe, isEnvFile, planDestWrite, type FileState, writeParams } from './lib/index.js';

const copyParams = z
  .object({
    ...writeParams,
    content: z.string().optional(),
    /** A file on the control machine, read when the task is planned. */
    src: z.string().min(1).optional(),
  })
  .refine((p) => (p.content === undefined) !== (p.src === undefined), 'exactly one of content or src');

/**
 * Writes DEST from `content` or a local `src`: sha256 compared with the host's, atomic temp+rename
 * keeping the owner and mode of the file it replaces. Content travels in a heredoc, never in argv.
 */
export const copy = defineModule({
  name: 'copy',
  description: 'Write a file from given content or a local file, atomically',
  params: copyParams,
  read: (p, ctx) => fileStateProbe(p.dest, { withContent: ctx.diff, follow: p.follow }),
  async plan(p, state: FileState, ctx) {
    let content: Buffer | string;
    if (p.content !== undefined) content = p.content;
    else {
      try {
        content = await readFile(p.src!);
      } catch (err) {
        return { commands: [], fail: `cannot read local src ${p.src}: ${(err as Error).message}` };
      }
    }
    // An env file is secret by its name on either side (stack-up uploads `.env` as `env/.env`).
    return planDestWrite({ ...p, secret: p.secret || (p.src !== undefined && isEnvFile(p.src)) }, content, state, ctx);
  },
});
