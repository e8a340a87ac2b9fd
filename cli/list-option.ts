import { wholeNumberIn, type Range } from '../runner/util/bounds.js';

/** Commander collector for repeatable options: `-e a -e b`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Repeatable and comma-separated at once: `--tags a,b --tags c`. */
export const collectCsv = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').map((s) => s.trim()).filter(Boolean),
];

/** Commander parser for a whole-number option; a value outside `range` is exit 5 naming the option and the range. */
export const wholeNumber =
  (name: string, range: Range) =>
  (value: string): number =>
    wholeNumberIn(value, name, range);
