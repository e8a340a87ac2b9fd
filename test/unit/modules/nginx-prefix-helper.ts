import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const NGINX = '/usr/sbin/nginx';
export const hasNginx = existsSync(NGINX);

/**
 * A private nginx configuration under `dir`: its own pid, logs and temp paths, and `conf.d/*.conf`
 * included in `http`. `nginxArgs` points nginx (and the modules' nginxArgs param) at it.
 */
export async function nginxPrefix(dir: string, http = '') {
  await mkdir(join(dir, 'conf.d'), { recursive: true });
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/tmp/${t};`).join(' ');
  await writeFile(
    conf,
    `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents { worker_connections 64; }\n` +
      `http { access_log off; ${temps}\n${http}\ninclude ${dir}/conf.d/*.conf; }\n`,
  );
  return { conf, confDir: join(dir, 'conf.d'), nginxArgs: ['-p', dir, '-c', conf] };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Runs nginx in the foreground as a child; `stop` ends it by its PID and waits. */
export async function startNginx(nginxArgs: string[], pidFile: string): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(NGINX, [...nginxArgs, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; i < 100 && !existsSync(pidFile); i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  if (pid !== child.pid) throw new Error(`unexpected nginx pid ${pid}`);
  return {
    child,
    async stop() {
      if (child.exitCode === null) process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
