import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSsh } from '../../runner/connection/ssh/open-ssh.js';
import { sshSettings } from '../../runner/connection/ssh/settings.js';
import type { Connection } from '../../runner/connection/types.js';
import { argv, script } from '../../runner/shell/command.js';
import { labPlugins } from '../lab/plugins/catalog.js';
import { canRunLab, labInventoryHost, useLab } from '../lab/use-lab.js';
import { ensureBuilt, parseEvents, userEnv } from './faults-support/vsa.js';

/**
 * The shipped reverse-proxy and llm-gateway stacks, brought up with `vsa stack up` on a lab host's
 * Podman. No registry is reachable, so `.env` points every image at one built here from the lab's
 * busybox rootfs: it answers the stacks' healthchecks (/healthz on 80, /health/liveliness on 4000)
 * and ignores the command compose gives it. This proves the compose files, networks, restart and
 * healthcheck wiring and `vsa stack up`; not that the upstream images start with this config.
 */
const IMAGE = 'localhost/vsa-stack-test:latest';
const SERVE =
  'mkdir -p /www/health; echo ok > /www/healthz; echo ok > /www/health/liveliness; httpd -p 4000 -h /www; exec httpd -f -p 80 -h /www';
const HTTP_PORT = 18080;

const ENV: Record<string, string> = {
  'reverse-proxy': `NGINX_IMAGE=${IMAGE}\nCERTBOT_IMAGE=${IMAGE}\nHTTP_PORT=${HTTP_PORT}\nHTTPS_PORT=18443\n`,
  'llm-gateway': `LITELLM_IMAGE=${IMAGE}\nLITELLM_MASTER_KEY=lab-only-master-key\nOPENAI_API_KEY=lab-openai-key\nMISTRAL_API_KEY=\n`,
};

type Event = {
  type: string;
  exitCode?: number;
  status?: string;
  data?: { containers?: { name: string; health?: string }[] };
};

describe.skipIf(!canRunLab)(
  'shipped stacks under vsa stack up on a lab host (Podman, local images only)',
  () => {
    const lab = useLab({ hosts: 1, plugins: labPlugins({ only: ['sshd', 'podman'] }) });
    let work: string;
    let host: Connection;

    beforeAll(async () => {
      await ensureBuilt();
      work = await mkdtemp(join(lab().layout.dir, 'stacks-'));
      for (const [name, env] of Object.entries(ENV)) {
        await cp(`stacks/${name}`, join(work, name), { recursive: true });
        await writeFile(join(work, name, '.env'), env);
      }
      host = await openSsh(sshSettings(labInventoryHost(lab(), 'h01')));
      const entrypoint = JSON.stringify(['/bin/sh', '-c', SERVE, 'stack-test']);
      const rootfs = join(lab().layout.dir, 'images/vsa-web.tar');
      const r = await host.exec(
        argv(
          'podman',
          'import',
          '-q',
          '--change',
          `ENTRYPOINT ${entrypoint}`,
          '--change',
          'CMD []',
          rootfs,
          IMAGE,
        ),
      );
      expect(r.code, r.stderr).toBe(0);
    });
    afterAll(async () => {
      await host?.close();
      if (work) await rm(work, { recursive: true, force: true });
    });

    const stackUp = async (name: string, timeout = 90) => {
      const r = await $({
        quiet: true,
        nothrow: true,
        env: userEnv(join(work, '.vsa')),
      })`node bin/vsa.js stack up ${name} -i ${lab().inventoryFile} --dir ${work} --timeout ${timeout} --json`;
      const events = parseEvents<Event>(r.stdout);
      const compose = events.find((e) => e.type === 'task:result' && e.data?.containers);
      return {
        code: r.exitCode,
        end: events.find((e) => e.type === 'run:end'),
        compose,
        output: r.stdout + r.stderr,
      };
    };
    const health = async (container: string) =>
      (
        await host.exec(
          argv(
            'podman',
            'inspect',
            '--format',
            '{{.State.Health.Status}} {{.HostConfig.RestartPolicy.Name}}',
            container,
          ),
        )
      ).stdout.trim();
    const networks = async (container: string) =>
      (
        await host.exec(
          script(
            `podman inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' ${container}`,
          ),
        )
      ).stdout
        .trim()
        .split(' ')
        .sort();

    it('reverse-proxy: nginx up and healthy, on flowbiz_ext and the stack network, answering on the published port', async () => {
      const r = await stackUp('reverse-proxy');
      expect(r.code, r.output).toBe(0);
      expect(r.end?.exitCode).toBe(0);
      expect(r.compose?.status).toBe('changed');
      expect(await health('reverse-proxy-nginx')).toBe('healthy unless-stopped');
      expect(await networks('reverse-proxy-nginx')).toEqual([
        'flowbiz_ext',
        'reverse-proxy_reverse-proxy-net',
      ]);
      const page = await $({
        quiet: true,
      })`wget -q -O - http://${lab().host('h01').address}:${HTTP_PORT}/healthz`;
      expect(page.stdout).toBe('ok\n');
    });

    it('llm-gateway: healthy on both networks, no port published; a second stack up changes nothing', async () => {
      const r = await stackUp('llm-gateway');
      expect(r.code, r.output).toBe(0);
      expect(await health('llm-gateway')).toBe('healthy unless-stopped');
      expect(await networks('llm-gateway')).toEqual(['flowbiz_ext', 'llm-gateway_llm-gateway-net']);
      expect((await host.exec(argv('podman', 'port', 'llm-gateway'))).stdout.trim()).toBe('');
      // The provider keys reach the app from env/.env as they are: set, or empty (never `${...}` text).
      const keys = await host.exec(argv('podman', 'exec', 'llm-gateway', 'sh', '-c', 'printf %s "$OPENAI_API_KEY|$MISTRAL_API_KEY|$LITELLM_MASTER_KEY"'));
      expect(keys.stdout).toBe('lab-openai-key||lab-only-master-key');

      const again = await stackUp('llm-gateway');
      expect(again.code, again.output).toBe(0);
      expect(again.compose?.status).toBe('ok');
    });

    it("the stack directory's config files reach the host beside compose.yml", async () => {
      const r = await host.exec(
        script(
          'test -f /srv/flowbiz/reverse-proxy/nginx/conf.d/00-default.conf && test -f /srv/flowbiz/llm-gateway/config.yaml',
        ),
      );
      expect(r.code).toBe(0);
    });

    it('a container that never gets healthy fails the stack up naming its service, and changes nothing else', async () => {
      await cp(join(work, 'llm-gateway'), join(work, 'sick'), { recursive: true });
      await writeFile(
        join(work, 'sick', 'compose.yml'),
        [
          'services:',
          '  sick:',
          `    image: ${IMAGE}`,
          '    restart: unless-stopped',
          '    healthcheck: { test: ["CMD", "false"], interval: 1s, timeout: 1s, retries: 1 }',
          '    networks: [flowbiz_ext, sick-net]',
          'networks:',
          '  flowbiz_ext: { external: true }',
          '  sick-net: {}',
          '',
        ].join('\n'),
      );
      const before = await health('reverse-proxy-nginx');
      const r = await stackUp('sick', 8);
      expect(r.code, r.output).toBe(2);
      expect(r.end?.exitCode).toBe(2);
      // podman-compose names the container PROJECT_SERVICE_N.
      expect(r.output).toMatch(/not healthy after \d+s: sick_sick_1\(unhealthy\)/);
      expect(await health('reverse-proxy-nginx')).toBe(before);
    });
  },
);
