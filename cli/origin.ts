import { hostname, userInfo } from 'node:os';
import { origins, type Origin } from '../runner/events/types.js';
import { isCI } from '../runner/util/is-ci.js';

/** Where a run comes from: `VSA_ORIGIN` (cron and the dashboard set it), CI, a terminal, or a script. */
export function detectOrigin(env: NodeJS.ProcessEnv = process.env, isTTY = Boolean(process.stdout.isTTY)): Origin {
  const explicit = env.VSA_ORIGIN;
  const known = origins.find((o) => o === explicit);
  if (known) return known;
  if (isCI(env)) return 'ci';
  return isTTY ? 'tty' : 'script';
}

export function detectActor(env: NodeJS.ProcessEnv = process.env): string {
  return env.VSA_ACTOR ?? `${userInfo().username}@${hostname()}`;
}
