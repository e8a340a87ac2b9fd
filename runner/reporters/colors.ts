import type { HostStats } from '../events/types.js';

// Our own SGR pairs rather than a color library: the reporters need six styles, and the decision to
// color is made once per reporter (NO_COLOR, TTY, --no-color), not by the library reading globals.
const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  magenta: [35, 39],
  cyan: [36, 39],
} as const;

export type Style = keyof typeof codes;
export type Paint = (style: Style, text: string) => string;

export function palette(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text;
  return (style, text) =>
    text === '' ? text : `\u001b[${codes[style][0]}m${text}\u001b[${codes[style][1]}m`;
}

/** Ansible's colors for each result and recap column. */
export const statusStyle: Record<keyof HostStats, Style> = {
  ok: 'green',
  changed: 'yellow',
  failed: 'red',
  skipped: 'cyan',
  unreachable: 'red',
  ignored: 'magenta',
};

/** Color only on a terminal, never when `NO_COLOR` is set (whatever its value) or `--no-color` was given. */
export function useColor(opts: { color: boolean; isTTY: boolean; env: NodeJS.ProcessEnv }): boolean {
  return opts.color && opts.isTTY && opts.env.NO_COLOR === undefined;
}
