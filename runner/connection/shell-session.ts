import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { TimeoutError, UnreachableError } from '../errors.js';
import { quote } from '../shell/quote.js';
import type { Wrapped } from './become.js';
import type { OutputCap } from './capped-text.js';
import { FramedStream } from './framed-stream.js';
import { FIND_HOLDER } from './host-lock-scripts.js';
import type { ExecResult } from './types.js';

export interface ShellStreams {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Ends the shell (and whatever it runs) for good. */
  kill(): void;
}

export interface RunOptions {
  timeoutMs?: number | undefined;
  /** Runs the script through another program (become): the command for its file, and that command's input. */
  wrap?: ((file: string) => Wrapped) | undefined;
}

/**
 * A long-lived `sh` that runs one script at a time and frames each result with a random sentinel,
 * so a command costs one write and one read instead of a new process or SSH channel.
 * Each script runs as `( eval 'TEXT' )`: the subshell is one fork of the session's shell (no exec,
 * no temp file), a syntax error or `exit` in it ends only that subshell, and its text never
 * appears in any process's argv. A wrapped script (sudo) is written to a private file instead,
 * since the wrapper runs another program.
 */
export class ShellSession {
  private readonly mark = `__VSA_${randomBytes(8).toString('hex')}`;
  // Each command's output ends with `\nMARK <exit code>\n` on stdout and `\nMARK\n` on stderr.
  private readonly out: FramedStream;
  private readonly err: FramedStream;
  private pending?: { resolve: (r: ExecResult) => void; reject: (e: Error) => void };
  private queue: Promise<unknown> = Promise.resolve();
  private dead?: Error;
  private seq = 0;
  private readonly dir: string;
  private pidFound?: (pid: number) => void;
  /** The session shell's pid, which it prints first (the process group to kill after a timeout). */
  readonly pid = new Promise<number>((resolve) => (this.pidFound = resolve));

  constructor(
    private readonly host: string,
    private readonly streams: ShellStreams,
    tmpRoot = '/tmp',
    /** How much of each command's stdout and stderr is kept (the middle of a larger one is cut). */
    cap?: OutputCap,
  ) {
    this.dir = `${tmpRoot}/.vsa-${this.mark.slice(6)}`;
    this.out = new FramedStream(`\n${this.mark}`, cap);
    this.err = new FramedStream(`\n${this.mark}`, cap);
    streams.stdout.setEncoding('utf8');
    streams.stderr.setEncoding('utf8');
    streams.stdout.on('data', (d: string) => {
      this.out.push(d);
      this.takePid();
      this.settle();
    });
    streams.stderr.on('data', (d: string) => {
      this.err.push(d);
      this.settle();
    });
    const onEnd = () => this.fail(new UnreachableError(host, 'the remote shell closed'));
    streams.stdout.on('close', onEnd);
    streams.stdin.on('error', (e: Error) => this.fail(new UnreachableError(host, e.message, { cause: e })));
    // umask 077: the script files are private; `trap` removes them when the session ends. A
    // killed session never runs its trap: `pid` names the shell (pid and start time) and the
    // holder of its run's lock, so the next run's lock finds the folder orphaned, or stops what a
    // dead run's shell still runs before it takes the lock over (host-lock-scripts.ts).
    streams.stdin.write(
      `umask 077; mkdir -p ${this.dir} || exit 97\n` +
        `{ read -r s < /proc/$$/stat; } 2>/dev/null && { set -- \${s##*) }; shift 19; me=$1; }\n${FIND_HOLDER}\n` +
        `echo "$$ $me $h $t" > ${this.dir}/pid; trap 'rm -rf ${this.dir}' EXIT HUP TERM; umask 022; ` +
        `printf '\\n${this.mark}_PID %d\\n' $$\n`,
    );
  }

  /** Runs `text` with `sh` (or through `wrap`, e.g. sudo) and resolves with its exit code and output. */
  run(text: string, opts: RunOptions = {}): Promise<ExecResult> {
    const next = this.queue.then(() => this.runNow(text, opts));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private runNow(text: string, opts: RunOptions): Promise<ExecResult> {
    if (this.dead) return Promise.reject(this.dead);
    const body = text.endsWith('\n') ? text : `${text}\n`;
    const framed =
      `${opts.wrap ? this.viaFile(body, opts.wrap) : `( eval ${quote(body)} ) </dev/null; __vsa_rc=$?`}\n` +
      `printf '\\n${this.mark} %d\\n' "$__vsa_rc"; printf '\\n${this.mark}\\n' >&2\n`;
    return new Promise<ExecResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      if (opts.timeoutMs) {
        timer = setTimeout(() => {
          const e = new TimeoutError(this.host, opts.timeoutMs!, 'command');
          this.fail(e);
          this.streams.kill();
        }, opts.timeoutMs);
      }
      this.pending = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.streams.stdin.write(framed);
      this.settle();
    });
  }

  private viaFile(body: string, wrap: (file: string) => Wrapped): string {
    const file = `${this.dir}/s${++this.seq}`;
    const end = `${this.mark}_END`;
    const { command, input } = wrap(file);
    const script = `cat > ${file} <<'${end}'\n${body}${end}\n`;
    if (input === undefined) return `${script}${command} </dev/null; __vsa_rc=$?; rm -f ${file}`;
    // The wrapper reads `input` (a password) from a here-document: it stays in the channel and the shell's pipe.
    if (/[\r\n]/.test(input)) throw new Error('a become password cannot contain a line break');
    const fed = `${this.mark}_IN`;
    return `${script}${command} <<'${fed}'; __vsa_rc=$?; rm -f ${file}\n${input}\n${fed}`;
  }

  get closed(): boolean {
    return this.dead !== undefined;
  }

  /** Fails the running command (and every later one) with `why`, and ends the shell. */
  abandon(why: Error): void {
    this.fail(why);
    this.streams.kill();
  }

  close(): void {
    if (!this.dead) this.dead = new UnreachableError(this.host, 'session closed');
    this.streams.stdin.end('exit 0\n');
  }

  /** The shell's first frame on stdout is its pid line (`\nMARK_PID 123\n`). */
  private takePid(): void {
    if (!this.pidFound || !this.out.ready) return;
    const pid = /^_PID (\d+)$/.exec(this.out.take()!.tag);
    if (pid) this.pidFound(Number(pid[1]));
    this.pidFound = undefined;
  }

  private settle(): void {
    if (!this.pending || this.pidFound || !this.out.ready || !this.err.ready) return;
    const out = this.out.take()!;
    const err = this.err.take()!;
    const p = this.pending;
    this.pending = undefined;
    p.resolve({ code: Number(out.tag), stdout: out.text, stderr: err.text });
  }

  private fail(e: Error): void {
    this.dead ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.dead);
  }
}
