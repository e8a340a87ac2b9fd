import { toShell, type Command } from '../shell/command.js';
import { UnreachableError } from '../errors.js';
import type { Connection, ExecOptions, ExecResult } from './types.js';

export type FakeResponder = (script: string, opts: ExecOptions) => Partial<ExecResult> | undefined;

/**
 * A connection for unit tests: records every command and answers from a responder.
 * An unanswered command succeeds with empty output.
 */
export class FakeConnection implements Connection {
  readonly sent: { script: string; opts: ExecOptions }[] = [];
  readonly files = new Map<string, Buffer>();
  closed = false;

  constructor(
    readonly host: string,
    private readonly respond: FakeResponder = () => undefined,
    private readonly unreachable = false,
  ) {}

  async exec(cmd: Command, opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.unreachable) throw new UnreachableError(this.host, 'connection refused');
    const script = toShell(cmd);
    this.sent.push({ script, opts });
    const r = this.respond(script, opts) ?? {};
    return { code: r.code ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  async put(remotePath: string, content: Buffer | string): Promise<void> {
    this.files.set(remotePath, Buffer.from(content));
  }

  async get(remotePath: string): Promise<Buffer> {
    const f = this.files.get(remotePath);
    if (!f) throw new Error(`${this.host}: ${remotePath}: no such file`);
    return f;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
