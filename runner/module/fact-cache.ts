import type { Connection, ExecOptions } from '../connection/types.js';
import type { FactDef, FactReader } from './types.js';

/** Facts of one host, read at most once per run. */
export class FactCache implements FactReader {
  private readonly values = new Map<string, unknown>();

  constructor(
    private readonly conn: Connection,
    private readonly execOpts: () => ExecOptions,
  ) {}

  async get<T>(fact: FactDef<T>): Promise<T> {
    if (this.values.has(fact.name)) return this.values.get(fact.name) as T;
    const res = await this.conn.exec(fact.command, this.execOpts());
    return this.store(fact, fact.parse(res));
  }

  peek<T>(fact: FactDef<T>): T | undefined {
    return this.values.get(fact.name) as T | undefined;
  }

  store<T>(fact: FactDef<T>, value: T): T {
    this.values.set(fact.name, value);
    return value;
  }

  missing(facts: readonly FactDef<unknown>[]): FactDef<unknown>[] {
    return facts.filter((f) => !this.values.has(f.name));
  }
}
