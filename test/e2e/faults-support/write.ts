import { z } from 'zod';
import { template } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/** One template of `lines` lines written to `dest` (the disk-full fixture). */
export default definePlaybook({
  name: 'faults-write',
  description: 'Render a template of a chosen size (fault-injection fixture)',
  hosts: 'all',
  params: z.object({
    dest: z.string().regex(/^\/[\w./-]+$/),
    lines: z.coerce.number().int().min(1).max(100_000).default(10),
  }),
  tasks: ({ dest, lines }) => [
    task(template, 'site config', {
      dest,
      mode: '0644',
      inline:
        '{% for i in range(0, lines) %}line {{ i }} of the config of {{ inventory_hostname }}\n{% endfor %}',
      vars: { lines },
    }),
  ],
});
