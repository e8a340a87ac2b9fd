import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { joinArgv } from '../runner/shell/quote.js';
import { guardProbe, planRun, runParams } from './lib/index.js';

/**
 * Runs an argv (no shell parsing of its words). `creates`/`removes` cost one read; without them
 * the task is a single round trip. Skipped in check mode unless `checkSafe`.
 */
export const command = defineModule({
  name: 'command',
  description: 'Run a program with arguments',
  params: z.object({ argv: z.array(z.string()).min(1), ...runParams }),
  read: (p) => guardProbe(p),
  plan: (p, guards: { creates: boolean; removes: boolean } | undefined, ctx) =>
    planRun(p, guards, ctx, joinArgv(p.argv)),
  runInCheckMode: (p) => p.checkSafe,
});
