import type { Sink } from '../events/types.js';
import { isCI } from '../util/is-ci.js';
import { createJsonReporter } from './json.js';
import type { ReporterKind, ReporterOptions } from './options.js';
import { createPlainReporter } from './plain.js';

export { useColor } from './colors.js';
export type { ReporterKind, ReporterOptions } from './options.js';

// The live tree's listr2 loads only for a terminal: cron, CI and --json runs never pay for it.
const reporters: Record<ReporterKind, (opts: ReporterOptions) => Sink | Promise<Sink>> = {
  tty: async (opts) => (await import('./tty.js')).createTtyReporter(opts),
  plain: createPlainReporter,
  json: createJsonReporter,
};

export async function createReporter(kind: ReporterKind, opts: ReporterOptions): Promise<Sink> {
  return reporters[kind](opts);
}

/** `--json` wins; a live tree only on a terminal outside CI; otherwise one line per result. */
export function chooseReporterKind(opts: {
  json: boolean;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}): ReporterKind {
  if (opts.json) return 'json';
  if (!opts.isTTY || isCI(opts.env)) return 'plain';
  return 'tty';
}
