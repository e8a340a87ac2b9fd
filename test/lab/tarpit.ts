import { createServer, type Socket } from 'node:net';

/**
 * How a fake server treats each connection: `silent` accepts and never speaks, `banner` sends an
 * SSH ident line then nothing, `close` hangs up at once, `reset` answers the client's first bytes
 * with a TCP reset (what a hang-up does when the client's ident is still unread).
 */
export type TarpitKind = 'silent' | 'banner' | 'close' | 'reset';

/** The software name in the ident line a `banner` tarpit sends. */
export const TARPIT_SOFTWARE = 'Tarpit_1.0';

export interface Tarpit {
  address: string;
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Resolves once a connection came and every one has closed (the client gave up). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP listener that takes connections and never lets an SSH login finish, for unreachable-host tests. */
export async function startTarpit(kind: TarpitKind, address = '127.0.0.1'): Promise<Tarpit> {
  const open = new Set<Socket>();
  let accepted = 0;
  const waiters: (() => void)[] = [];
  const settle = () => {
    if (accepted > 0 && open.size === 0) waiters.splice(0).forEach((w) => w());
  };
  const server = createServer((sock) => {
    accepted++;
    open.add(sock);
    sock
      .on('close', () => {
        open.delete(sock);
        settle();
      })
      .on('error', () => undefined);
    // Reading (and dropping) what the client sends lets its hang-up be seen.
    sock.resume();
    if (kind === 'close') sock.destroy();
    else if (kind === 'reset') sock.once('data', () => sock.resetAndDestroy());
    else if (kind === 'banner') sock.write(`SSH-2.0-${TARPIT_SOFTWARE}\r\n`);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, address, resolve));
  const { port } = server.address() as { port: number };
  return {
    address,
    port,
    accepted: () => accepted,
    drained: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        open.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
