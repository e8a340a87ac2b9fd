import { readFile, writeFile, chmod } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { ProcessPromise } from 'zx';
import type { Command } from '../shell/command.js';
import { toShell } from '../shell/command.js';
import { runAs, type BecomeSpec } from './become.js';
import { ShellSession } from './shell-session.js';
import type { Connection, ExecOptions, ExecResult, PutOptions } from './types.js';

/** The control machine itself (`ansible_connection: local`), through one long-lived `sh`. */
export class LocalConnection implements Connection {
  private session?: ShellSession;
  private proc?: ProcessPromise;

  private readonly login = userInfo().username;

  constructor(
    readonly host: string,
    private readonly becomeAs: BecomeSpec = { method: 'sudo', user: 'root' },
  ) {}

  async exec(cmd: Command, opts: ExecOptions = {}): Promise<ExecResult> {
    const session = await this.open();
    return runAs(this.host, this.becomeAs, this.login, opts.become, (wrap) => session.run(toShell(cmd), { timeoutMs: opts.timeoutMs, wrap }));
  }

  async put(remotePath: string, content: Buffer | string, opts: PutOptions = {}): Promise<void> {
    const mode = opts.mode ? parseInt(opts.mode, 8) : undefined;
    await writeFile(remotePath, content, { mode });
    if (mode !== undefined) await chmod(remotePath, mode);
  }

  get(remotePath: string): Promise<Buffer> {
    return readFile(remotePath);
  }

  async close(): Promise<void> {
    this.session?.close();
    await this.proc?.catch(() => undefined);
  }

  /**
   * A timed-out command kills its shell; the next command gets a fresh one. zx is imported here,
   * not at the top: it costs a third of a second, and most runs have no local host.
   */
  private async open(): Promise<ShellSession> {
    if (this.session && !this.session.closed) return this.session;
    const { $ } = await import('zx');
    if (this.session && !this.session.closed) return this.session;
    const child = $({ quiet: true, nothrow: true, stdio: 'pipe' })`sh`;
    this.proc = child;
    this.session = new ShellSession(this.host, {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      kill: () => void child.kill('SIGKILL'),
    });
    return this.session;
  }
}
