import { UnreachableError } from '../../errors.js';

/**
 * A step after login that a working sshd answers at once (a channel, the shell's first line, the
 * SFTP subsystem). A server that accepted the login and then never answers would otherwise hold
 * the host's run forever: past `ms` the host is unreachable, naming the step.
 */
export function answerWithin<T>(
  host: string,
  step: string,
  ms: number,
  work: Promise<T>,
  giveUp: (why: UnreachableError) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const why = new UnreachableError(
        host,
        `the SSH server accepted the login but did not ${step} within ${ms} ms`,
      );
      giveUp(why);
      reject(why);
    }, ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
