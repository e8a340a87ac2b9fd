import { defineFact } from '../../runner/module/define.js';
import { script } from '../../runner/shell/command.js';

export type ComposeKind = 'v2' | 'v1' | 'podman-compose';

export interface ComposeFact {
  kind: ComposeKind | null;
  /** The argv prefix that runs compose, e.g. `['docker', 'compose']`. */
  argv: string[];
  version: string;
}

const ARGV: Record<ComposeKind, string[]> = {
  v2: ['docker', 'compose'],
  v1: ['docker-compose'],
  'podman-compose': ['podman-compose'],
};

export function composeArgv(kind: ComposeKind): string[] {
  return [...ARGV[kind]];
}

/**
 * `docker-compose` v1 only talks to a Docker API socket; with podman-docker installed and no
 * `podman system service` running it is present but cannot work, so it only counts when a socket
 * (or DOCKER_HOST) is there.
 */
export const composeFact = defineFact<ComposeFact>({
  name: 'compose',
  command: script(
    [
      'if v=$(docker compose version --short 2>/dev/null) && [ -n "$v" ]; then echo v2; echo "$v"',
      'elif command -v docker-compose >/dev/null 2>&1 && { [ -n "${DOCKER_HOST:-}" ] || [ -S /var/run/docker.sock ]; }; then',
      '  echo v1; docker-compose version --short 2>/dev/null',
      'elif command -v podman-compose >/dev/null 2>&1; then echo podman-compose; podman-compose version 2>/dev/null',
      'else echo none; fi',
    ].join('\n'),
  ),
  parse(res) {
    const [first = '', ...rest] = res.stdout.split('\n');
    const kind = first.trim();
    if (kind !== 'v2' && kind !== 'v1' && kind !== 'podman-compose') return { kind: null, argv: [], version: '' };
    const text = rest.join('\n');
    // podman-compose prints `podman-composer version  1.0.3` among podman's own lines.
    const version =
      kind === 'podman-compose'
        ? (/podman-composer? version\s+(\S+)/.exec(text)?.[1] ?? '')
        : (text.trim().split('\n')[0] ?? '').replace(/^v/, '');
    return { kind, argv: composeArgv(kind), version };
  },
});
