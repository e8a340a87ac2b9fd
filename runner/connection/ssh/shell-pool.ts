import type { Client, ClientChannel } from 'ssh2';
import { CancelledError, TimeoutError, UnreachableError } from '../../errors.js';
import { ShellSession } from '../shell-session.js';
import type { ExecResult } from '../types.js';
import type { Limiter } from '../../util/limiter.js';
import { answerWithin } from './answer-within.js';

interface Shell {
  session: ShellSession;
  /** The remote `sh`'s pid, which sshd made a process group leader (setsid) for the session. */
  pid: Promise<number>;
  cancelled?: boolean;
}

type RunOptions = Parameters<ShellSession['run']>[1];

/**
 * Long-lived `sh` processes over exec channels of one connection, lent to one command at a time.
 * A command that finds every shell busy opens another while `max` allows, else waits for one.
 * A timed-out command's shell is killed with its whole process group and never lent again.
 */
export class ShellPool {
  private readonly idle: Shell[] = [];
  private readonly busy = new Set<Shell>();
  private readonly waiters: { resolve: (s: Shell) => void; reject: (e: Error) => void }[] = [];
  private open = 0;
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly client: Client,
    private readonly channels: Limiter,
    private readonly max: number,
    /** Runs a one-off command on its own channel (to kill a timed-out command's processes). */
    private readonly oneOff: (command: string) => Promise<void>,
    /** How long the server may take to open a shell and let it print its first line. */
    private readonly startTimeoutMs: number,
  ) {}

  async run(text: string, opts: RunOptions = {}): Promise<ExecResult> {
    const shell = await this.lease();
    this.busy.add(shell);
    try {
      return await shell.session.run(text, opts);
    } catch (e) {
      if (shell.cancelled) throw new CancelledError(this.host);
      if (e instanceof TimeoutError)
        void shell.pid.then((pid) => this.oneOff(killGroup(pid))).catch(() => undefined);
      throw e;
    } finally {
      this.busy.delete(shell);
      this.giveBack(shell);
    }
  }

  /**
   * Kills the commands running now with their shells' process groups (an exec channel without a
   * tty gets no SIGHUP, so closing it would leave them running); the connection stays usable.
   */
  async cancel(): Promise<void> {
    await Promise.all(
      [...this.busy].map(async (s) => {
        s.cancelled = true;
        await this.oneOff(killGroup(await s.pid)).catch(() => undefined);
      }),
    );
  }

  close(): void {
    this.closed = true;
    for (const s of this.idle.splice(0)) s.session.close();
    for (const w of this.waiters.splice(0)) w.reject(new UnreachableError(this.host, 'connection closed'));
  }

  private lease(): Promise<Shell> {
    if (this.closed) return Promise.reject(new UnreachableError(this.host, 'connection closed'));
    const ready = this.idle.pop();
    if (ready) return Promise.resolve(ready);
    if (this.open < this.max) return this.start();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private giveBack(shell: Shell): void {
    if (shell.session.closed) {
      this.open--;
      const w = this.waiters.shift();
      if (w) this.start().then(w.resolve, w.reject);
      return;
    }
    const w = this.waiters.shift();
    if (w) w.resolve(shell);
    else if (this.closed) shell.session.close();
    else this.idle.push(shell);
  }

  private async start(): Promise<Shell> {
    this.open++;
    try {
      const release = await this.channels.acquire();
      const hangUp = () => this.client.end();
      const channel = await answerWithin(
        this.host,
        'open a session channel',
        this.startTimeoutMs,
        execChannel(this.client, 'sh'),
        hangUp,
      ).catch((e: Error) => {
        release();
        throw e instanceof UnreachableError
          ? e
          : new UnreachableError(this.host, `cannot open a channel: ${e.message}`, { cause: e });
      });
      channel.once('close', release);
      const session = new ShellSession(this.host, {
        stdin: channel,
        stdout: channel,
        stderr: channel.stderr,
        kill: () => channel.close(),
      });
      // Not awaited here: the first command is already on its way behind the shell's first line.
      const pid = answerWithin(this.host, 'start a shell', this.startTimeoutMs, session.pid, (why) => {
        session.abandon(why);
        hangUp();
      });
      pid.catch(() => undefined);
      return { session, pid };
    } catch (e) {
      this.open--;
      throw e;
    }
  }
}

/** Kills the process group of a session's `sh` (everything the timed-out command started). */
export function killGroup(pid: number): string {
  return `kill -KILL -- -${pid} 2>/dev/null || kill -KILL ${pid} 2>/dev/null; true`;
}

export function execChannel(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => (err ? reject(err) : resolve(channel)));
  });
}
