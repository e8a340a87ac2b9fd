/**
 * Builds a WHERE clause from the filter fields that are set; each clause names its field as a
 * bound parameter (`@field`), so values never enter the SQL text.
 */
export function where<F extends object>(
  filter: F,
  clauses: { [K in keyof F]?: string },
): { sql: string; args: Record<string, unknown> } {
  const parts: string[] = [];
  const args: Record<string, unknown> = {};
  for (const [key, clause] of Object.entries(clauses) as [string, string][]) {
    const value = (filter as Record<string, unknown>)[key];
    if (value === undefined || value === '') continue;
    parts.push(clause);
    args[key] = value;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}
