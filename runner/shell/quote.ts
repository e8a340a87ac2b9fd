const SAFE = /^[A-Za-z0-9_/.:=@%+,-]+$/;

/** POSIX single-quoting: the only place a value becomes shell text. */
export function quote(arg: string): string {
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function joinArgv(argv: readonly string[]): string {
  return argv.map(quote).join(' ');
}
