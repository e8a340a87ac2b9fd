import type { z } from 'zod';

/** One line per problem, each naming the field and the rule it broke. */
export function describeZodError(err: z.ZodError, what: string): string {
  const lines = err.issues.map((i) => {
    const field = i.path.length ? i.path.join('.') : '(root)';
    return `${field}: ${i.message}`;
  });
  return `${what}: ${lines.join('; ')}`;
}
