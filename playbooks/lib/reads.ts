import { z } from 'zod';
import { shell, stat } from '../../modules/index.js';
import { defineRead, type Read, type ReadSource } from '../../runner/playbook/read.js';

const stdout = z.object({ stdout: z.string() });

/** A read whose probe is a read-only sh script, parsed from its stdout. */
export function scriptRead<A = void, T = unknown>(def: {
  name: string;
  script: (arg: A) => string;
  parse: (stdout: string, from: ReadSource<A>) => T;
}): Read<A, T> {
  return defineRead({
    name: def.name,
    module: shell,
    probe: (arg: A) => ({ script: def.script(arg), checkSafe: true }),
    parse: (data, from) => def.parse(stdout.parse(data).stdout, from),
  });
}

/**
 * Whether a path exists on the host (the `stat` module's `exists`). A new handle each call: a
 * handle keeps one value per host, so each path a play checks needs its own.
 */
export const pathExists = (name: string): Read<string, boolean> =>
  defineRead({
    name,
    module: stat,
    probe: (path: string) => ({ path }),
    parse: z.object({ exists: z.boolean() }).transform((s) => s.exists),
  });
