/** Edit distance (insert, delete, substitute one character), case-insensitive: `nowww` is one step from `noWww`. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[y.length]!;
}

/** The known name nearest to `name`, when it is near enough to be a typo of it (a third of its length). */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(name, k);
    if (d <= Math.max(2, Math.floor(k.length / 3)) && (!best || d < best.d)) best = { name: k, d };
  }
  return best?.name;
}

/** ` (did you mean X?)` or nothing, for the end of an "unknown name" message. */
export function didYouMean(name: string, known: readonly string[]): string {
  const near = closestName(name, known);
  return near ? ` (did you mean ${near}?)` : '';
}
