/** Playbook files the end-to-end tests run through the binary (paths from the project root). */
export const TEN_TASKS = 'test/lab/fixtures/ten-tasks.ts';
/** Sleeps in a task, so a signal or a fault lands mid-run. */
export const SLOW = 'test/e2e/faults-support/slow.ts';
/** Writes a templated file, for the disk-full fault. */
export const WRITE = 'test/e2e/faults-support/write.ts';
/** Takes a secret param, for the redaction test. */
export const SECRET_PLAYBOOK = 'test/e2e/faults-support/secret.ts';
/** Writes an NGINX vhost that notifies the reload, then pauses: for kill -9 between a write and its handler. */
export const PENDING = 'test/e2e/faults-support/pending.ts';
