import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { blockInFile, copy, directory, file, lineInFile, stat, template } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

const fixture = (name: string) => fileURLToPath(new URL(`./files/${name}`, import.meta.url));

/**
 * The file modules under one root (e2e fixture). `rev` changes some content, so a second run with
 * another rev shows real diffs.
 */
export default definePlaybook({
  name: 'e2e-files',
  description: 'file/directory, copy, template, lineinfile, blockinfile and stat under one root',
  hosts: 'all',
  params: z.object({
    root: z
      .string()
      .regex(/^\/srv\/[\w./-]+$/)
      .default('/srv/vsa-files'),
    rev: z.coerce.string().regex(/^\d+$/).default('1'),
  }),
  tasks: ({ root, rev }) => [
    task(directory, 'root', { path: root, mode: '0755' }),
    task(directory, 'data', { path: `${root}/data` }),
    task(copy, 'motd from a local file', {
      dest: `${root}/data/motd`,
      src: fixture('motd.txt'),
      mode: '0644',
    }),
    task(file, 'data group', {
      path: `${root}/data`,
      state: 'directory',
      group: 'www-data',
      recursive: true,
    }),
    task(file, 'touched', { path: `${root}/touched`, state: 'touch', mode: rev === '1' ? '0600' : '0640' }),
    task(copy, 'app config', {
      dest: `${root}/app.conf`,
      content: `name = e2e\nrev = ${rev}\n`,
      mode: '0640',
      backup: true,
    }),
    task(template, 'site config', {
      dest: `${root}/site.conf`,
      src: fixture('site.conf.njk'),
      vars: { domain: 'files.lab.test', rev },
    }),
    task(lineInFile, 'log level', {
      path: `${root}/env`,
      regexp: '^LEVEL=',
      line: `LEVEL=${rev === '1' ? 'info' : 'debug'}`,
      create: true,
    }),
    task(blockInFile, 'upstreams', {
      path: `${root}/hosts`,
      name: 'e2e',
      block: `10.0.0.1 app\n10.0.0.${rev} db`,
      create: true,
    }),
    task(stat, 'app config stat', { path: `${root}/app.conf` }),
  ],
});
