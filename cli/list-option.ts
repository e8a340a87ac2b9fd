import { InvalidArgumentError } from 'commander';

/** Commander collector for repeatable options: `-e a -e b`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Repeatable and comma-separated at once: `--tags a,b --tags c`. */
export const collectCsv = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').map((s) => s.trim()).filter(Boolean),
];

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive whole number, got "${value}"`);
    return n;
  };
}
