/**
 * docker_compose `up` in check mode with `planned` (the files the run uploads): what the real run
 * would find on the host after its uploads, and what it would pull and start.
 */
import type { ComposeState, DockerComposeParams } from './docker-compose.js';

type Planned = NonNullable<DockerComposeParams['planned']>;

/** The uploads would change what `up` compares: no project yet, other compose text, another env file. */
export function uploadChanges(planned: Planned, s: ComposeState): boolean {
  if (s.dirMissing || planned.envChanged) return true;
  const onHost = new Map(s.files.map((f) => [f.name, f.content]));
  return planned.files.length !== s.files.length || planned.files.some((f) => onHost.get(f.name) !== f.content);
}

/** The images the compose files name that the host does not have: `up` pulls them. */
export const pulls = (planned: Planned, s: ComposeState): string[] => planned.images.filter((i) => !s.images.includes(i));

export function checkSummary(services: string[], pull: string[]): string {
  return `: services ${services.join(', ') || '(none)'}; images to pull: ${pull.join(', ') || 'none'}`;
}
