import { defineFact } from '../../runner/module/define.js';
import { script } from '../../runner/shell/command.js';

export interface InitSystemFacts {
  /** systemd is PID 1 and running (the test sd_booted() makes: /run/systemd/system exists). */
  systemd: boolean;
  /** `systemctl` is installed (it may be, in a container, without systemd running). */
  systemctl: boolean;
  /** The name of PID 1 (`systemd`, `init`, `tini`, `sh`, …), for error messages. */
  pid1: string;
}

export const initSystemFact = defineFact<InitSystemFacts>({
  name: 'init-system',
  command: script(
    [
      'if [ -d /run/systemd/system ]; then echo systemd=1; fi',
      'if command -v systemctl >/dev/null 2>&1; then echo systemctl=1; fi',
      'echo "pid1=$(cat /proc/1/comm 2>/dev/null)"',
    ].join('\n'),
  ),
  parse(res) {
    const lines = res.stdout.split('\n');
    return {
      systemd: lines.includes('systemd=1'),
      systemctl: lines.includes('systemctl=1'),
      pid1: lines.find((l) => l.startsWith('pid1='))?.slice(5) || 'unknown',
    };
  },
});

/** Why systemd units cannot be managed here, or undefined when they can. */
export function systemdMissing(f: InitSystemFacts): string | undefined {
  if (f.systemd) return undefined;
  return f.systemctl
    ? `systemd is installed but not running on this host (PID 1 is ${f.pid1})`
    : `systemd is not available on this host (PID 1 is ${f.pid1}, no systemctl)`;
}
