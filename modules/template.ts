import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import {
  fileStateProbe,
  planDestWrite,
  renderForPlan,
  type FileState,
  writeParams,
} from './lib/index.js';

const templateParams = z
  .object({
    ...writeParams,
    /** Relative to the project's `templates/` dir, or absolute (on the control machine). */
    src: z.string().min(1).optional(),
    inline: z.string().optional(),
    /** Merged over the host's vars. */
    vars: z.record(z.string(), z.unknown()).default({}),
    templatesDir: z.string().optional(),
  })
  .refine((p) => (p.src === undefined) !== (p.inline === undefined), 'exactly one of src or inline');

/**
 * Renders a nunjucks template on the control machine (host vars, then the task's `vars`) and writes
 * it the way `copy` does. An undefined value fails the task, naming the template and the variable.
 */
export const template = defineModule({
  name: 'template',
  description: 'Render a nunjucks template and write it atomically',
  params: templateParams,
  read: (p, ctx) => fileStateProbe(p.dest, { withContent: ctx.diff, follow: p.follow }),
  plan(p, state: FileState, ctx) {
    const r = renderForPlan({ src: p.src, inline: p.inline, vars: { ...ctx.vars, ...p.vars }, templatesDir: p.templatesDir });
    return 'content' in r ? planDestWrite(p, r.content, state, ctx) : r;
  },
});
