// The floor a vsa run is measured against: a plain ssh2 client that does only what a run must do
// on the wire. One connection and one persistent `sh` per host, `trips` commands sent one after
// another on it, `forks` hosts at a time. Bundled by floor.ts and run as its own Node process, so
// its wall time includes Node's start and loading ssh2, as vsa's does.
// Input: one JSON argument (FloorSpec). Output: nothing; exit 0 when every host finished.
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

export interface FloorSpec {
  hosts: { address: string; port: number; user: string }[];
  keyFile: string;
  knownHostsFile: string;
  /** Round trips per host, in the host's order. */
  trips: number[];
  forks: number;
}

const MARK = '__floor_done__';

function knownKeys(file: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [host, , key] = line.trim().split(/\s+/);
    if (host && key) keys.set(host, key);
  }
  return keys;
}

async function oneHost(h: FloorSpec['hosts'][number], trips: number, key: Buffer, known: string | undefined) {
  const client = new ssh2.Client();
  await new Promise<void>((ready, fail) => {
    client.once('ready', ready).once('error', fail);
    client.connect({
      host: h.address,
      port: h.port,
      username: h.user,
      privateKey: key,
      // The same check vsa makes: the host's key must be the one in known_hosts (the lab's are ed25519).
      algorithms: { serverHostKey: ['ssh-ed25519'] },
      hostVerifier: (k: Buffer) => k.toString('base64') === known,
    });
    // As vsa does: without it the login waits on a delayed ACK.
    client.setNoDelay(true);
  });
  const shell = await new Promise<ssh2.ClientChannel>((ok, fail) =>
    client.exec('sh', (err, ch) => (err ? fail(err) : ok(ch))),
  );
  let out = '';
  let waiting: (() => void) | undefined;
  shell.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    if (out.includes(MARK)) {
      out = '';
      waiting?.();
    }
  });
  for (let i = 0; i < trips; i++) {
    await new Promise<void>((done) => {
      waiting = done;
      shell.write(`true; echo ${MARK}$?\n`);
    });
  }
  shell.end();
  client.end();
  if (process.env.FLOOR_DEBUG) process.stderr.write(`${h.address} done at ${Math.round(performance.now())} ms\n`);
}

async function main(spec: FloorSpec): Promise<void> {
  const key = readFileSync(spec.keyFile);
  const known = knownKeys(spec.knownHostsFile);
  let next = 0;
  const worker = async () => {
    while (next < spec.hosts.length) {
      const i = next++;
      const h = spec.hosts[i]!;
      await oneHost(h, spec.trips[i]!, key, known.get(h.address));
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.forks, spec.hosts.length) }, worker));
}

await main(JSON.parse(process.argv[2]!) as FloorSpec);
