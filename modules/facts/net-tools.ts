import { defineFact } from '../../runner/module/define.js';
import { script } from '../../runner/shell/command.js';

/** Which of the tools that can probe a port or a URL the host has: none of them is in POSIX. */
export interface NetToolsFacts {
  nc: boolean;
  bash: boolean;
  busybox: boolean;
  curl: boolean;
  wget: boolean;
}

const TOOLS = ['nc', 'bash', 'busybox', 'curl', 'wget'] as const;

export const netToolsFact = defineFact<NetToolsFacts>({
  name: 'net-tools',
  command: script(TOOLS.map((t) => `if command -v ${t} >/dev/null 2>&1; then echo ${t}; fi`).join('\n')),
  parse(res) {
    const found = new Set(res.stdout.split('\n'));
    return Object.fromEntries(TOOLS.map((t) => [t, found.has(t)])) as unknown as NetToolsFacts;
  },
});
