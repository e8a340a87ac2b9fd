import { z } from 'zod';

/** An octal file mode as a string (`'644'`, `'0640'`, `'2775'`); a number would lose its octal meaning in YAML. */
export const octalMode = z
  .string()
  .regex(/^0?[0-7]{3,4}$/, 'an octal mode such as "0644"')
  .transform(normalizeMode);

/** Four octal digits, as the probe reports them, so modes compare as strings. */
export function normalizeMode(mode: string): string {
  return mode.replace(/^0(?=[0-7]{4}$)/, '').padStart(4, '0');
}
