import { defineFact } from '../../runner/module/define.js';
import { script } from '../../runner/shell/command.js';

export type ContainerEngine = 'docker' | 'podman';

export interface DockerFact {
  /** The CLI to call: `docker` when present (real Docker or podman-docker), else `podman`; null when neither. */
  cli: 'docker' | 'podman' | null;
  /** What really answers behind that CLI. */
  engine: ContainerEngine | null;
  version: string;
}

/**
 * Shell text that sets `$d` to the container CLI, for read steps that run in the same round trip
 * as the fact (and so cannot wait for its value).
 */
export const PICK_DOCKER_CLI =
  'if command -v docker >/dev/null 2>&1; then d=docker; elif command -v podman >/dev/null 2>&1; then d=podman; ' +
  "else echo 'neither docker nor podman is installed' >&2; exit 127; fi";

/** podman-docker's `docker --version` answers `podman version 4.3.1`. */
export function parseDockerVersion(cli: string, text: string): DockerFact {
  if (cli !== 'docker' && cli !== 'podman') return { cli: null, engine: null, version: '' };
  const line = text.split('\n').find((l) => /version/i.test(l)) ?? '';
  const engine: ContainerEngine = /podman/i.test(line) ? 'podman' : 'docker';
  const version = /version\s+v?([0-9][^\s,]*)/i.exec(line)?.[1] ?? '';
  return { cli, engine, version };
}

export const dockerFact = defineFact<DockerFact>({
  name: 'docker',
  command: script(
    [
      'if command -v docker >/dev/null 2>&1; then echo docker; docker --version 2>/dev/null',
      'elif command -v podman >/dev/null 2>&1; then echo podman; podman --version',
      'else echo none; fi',
    ].join('\n'),
  ),
  parse(res) {
    const [cli = '', ...rest] = res.stdout.split('\n');
    return parseDockerVersion(cli.trim(), rest.join('\n'));
  },
});
