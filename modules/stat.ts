import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { absolutePath, fileStateProbe, type FileState } from './lib/index.js';

/** Read-only: what a path is, for a read handle (`defineRead`) and `when`. Never changes anything. */
export const stat = defineModule({
  name: 'stat',
  description: 'Read a path’s type, owner, mode, size, sha256 and mtime',
  params: z.object({ path: absolutePath }),
  read: (p) => fileStateProbe(p.path, { follow: true }),
  plan: (p, s: FileState) => ({
    commands: [],
    data: {
      exists: s.exists,
      isDir: s.type === 'directory',
      isFile: s.type === 'file',
      isLink: s.link === true,
      mode: s.mode,
      owner: s.owner,
      group: s.group,
      size: s.size,
      sha256: s.sha256,
      mtime: s.mtime,
    },
  }),
});
