import { CommandError } from '../errors.js';
import type { InventoryHost } from '../inventory/types.js';
import { quote } from '../shell/quote.js';
import type { ExecResult } from './types.js';

/** How a host's `become` steps run: the inventory's become method, user and password. */
export interface BecomeSpec {
  method: 'sudo' | 'su';
  /** Whom to become (Ansible's `become_user`, default root). */
  user: string;
  /** Given to sudo or su on its standard input, never in an argv. */
  password?: string;
}

/**
 * What a session shell runs for one become step: `command` runs the script file it is given, and
 * `input`, when there is one, is what that command reads on its standard input (a here-document
 * of the session shell, so the password travels inside the SSH channel and lands in no argv, no
 * environment and no file).
 */
export interface Wrapped {
  command: string;
  input?: string;
}

/** The host's become settings, with the run's password (a file, the environment, a prompt) below the inventory's. */
export function becomeSpec(host: Pick<InventoryHost, 'becomeMethod' | 'becomeUser' | 'becomePassword'>, runPassword?: string): BecomeSpec {
  const password = host.becomePassword ?? runPassword;
  return { method: host.becomeMethod ?? 'sudo', user: host.becomeUser ?? 'root', ...(password === undefined ? {} : { password }) };
}

/** Whether a step with become must change user at all: not when the login already is that user. */
export const needsBecome = (spec: BecomeSpec, login: string): boolean => login !== spec.user;

/**
 * The command that runs a script file as `spec.user`. sudo without a password is `sudo -n`, which
 * fails at once instead of waiting for a prompt nobody answers; with one, `sudo -S -p ''` reads it
 * from the here-document and prints no prompt. su always asks (unless the login is root), under
 * the C locale so its prompt and refusal are the words `checkBecome` knows.
 *
 * Another user than root cannot read the login's private script file: root (the login, or through
 * sudo) opens it and hands it to `runuser` as the standard input of a shell that reads it whole and
 * runs it with /dev/null as its input, so the script is never in an argv and never made readable.
 */
export function becomeCommand(spec: BecomeSpec, file: string, login: string): Wrapped {
  // The script's own input is /dev/null, never what is left of the wrapper's: sudo reads no
  // password while its credentials are cached, and the line would reach whatever reads stdin.
  const sh =
    spec.user === 'root' ? `sh ${quote(file)} </dev/null` : `runuser -u ${quote(spec.user)} -- sh -c ${quote(READ_AND_RUN)} < ${quote(file)}`;
  if (login === 'root') return { command: sh };
  if (spec.method === 'su') return { command: `LC_ALL=C su -s /bin/sh -c ${quote(sh)} root`, input: spec.password ?? '' };
  const run = `sh -c ${quote(sh)}`;
  if (spec.password === undefined) return { command: `sudo -n ${run}` };
  return { command: `sudo -S -p '' ${run}`, input: spec.password };
}

const READ_AND_RUN = 's=$(cat); eval "$s" </dev/null';

const SUDO_WANTS_PASSWORD = /^sudo: (a password is required|a terminal is required)/m;
const SUDO_REFUSED = /^sudo: (\d+ incorrect password attempts?|no password was provided)|^Sorry, try again\./m;
const SU_REFUSED = /^(Password: ?)?su: Authentication failure/m;
const SU_PROMPT = /^Password: ?/;

/**
 * The step's result with su's prompt taken off its stderr, or a CommandError naming the cause
 * when sudo or su refused to change user (no password given, or a wrong one): never the task's
 * own failure.
 */
export function checkBecome(host: string, spec: BecomeSpec, login: string, r: ExecResult): ExecResult {
  if (spec.method === 'su') {
    if (r.code !== 0 && SU_REFUSED.test(r.stderr)) {
      const why = spec.password === undefined ? 'no become password was given' : 'the become password was refused';
      throw new CommandError(host, 'su', r.code, `become with su to ${spec.user} failed for ${login}: ${why}${HOW}`);
    }
    return { ...r, stderr: r.stderr.replace(SU_PROMPT, '') };
  }
  if (r.code === 0) return r;
  if (spec.password === undefined && SUDO_WANTS_PASSWORD.test(r.stderr)) {
    throw new CommandError(host, 'sudo -n', r.code, `become needs a password, which sudo asked ${login} for (${r.stderr.trim()})${HOW}`);
  }
  if (spec.password !== undefined && SUDO_REFUSED.test(r.stderr)) {
    throw new CommandError(host, 'sudo', r.code, `become failed for ${login}: sudo refused the become password${HOW}`);
  }
  return r;
}

/**
 * Runs one step through a session shell's `run`, changed to `spec.user` when it asks for become
 * and the login is someone else; a refused change of user is a CommandError naming its cause.
 */
export async function runAs(
  host: string,
  spec: BecomeSpec,
  login: string,
  become: boolean | undefined,
  run: (wrap: ((file: string) => Wrapped) | undefined) => Promise<ExecResult>,
): Promise<ExecResult> {
  if (become !== true || !needsBecome(spec, login)) return run(undefined);
  return checkBecome(host, spec, login, await run((file) => becomeCommand(spec, file, login)));
}

const HOW =
  '; give it with --become-password-file FILE, $VSA_BECOME_PASSWORD, -K (a prompt) or the inventory variable ansible_become_password (vaulted)';
