import { chmod, copyFile, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunLab, useLab } from '../lab/use-lab.js';
import {
  connectionCounts,
  ensureBuilt,
  onHost,
  resultsOf,
  said,
  tempHome,
  vsa,
  type VsaResult,
} from './faults-support/vsa.js';
import { TEN_TASKS } from './playbook-files.js';

const BAD = 'test/fixtures/bad';

/**
 * Bad input stops a run before anything happens: one line on stderr naming the cause, exit 5,
 * no connection in any host's sshd log, no run in the history.
 */
describe.skipIf(!canRunLab)('bad input', () => {
  const lab = useLab({ hosts: 2 });
  let home: { dir: string; remove(): Promise<void> };
  beforeAll(async () => {
    home = await tempHome('bad-input');
    await ensureBuilt();
    // The lab's readiness probe is each sshd's first "Connection from"; sshd may log it late.
    for (let i = 0; i < 100 && (await connectionCounts(lab(), ['h01', 'h02'])).includes(0); i++)
      await sleep(50);
  });
  afterAll(() => home?.remove());

  /** A fixture inventory pointed at the lab's hosts, key and known_hosts. */
  const inventory = async (name: string, keyFile = lab().keyFile) => {
    const text = (await readFile(`${BAD}/${name}`, 'utf8'))
      .replaceAll('ADDRESS_H01', lab().host('h01').address)
      .replaceAll('ADDRESS_H02', lab().host('h02').address)
      .replaceAll('KEY_FILE', keyFile)
      .replaceAll('KNOWN_HOSTS', lab().knownHostsFile);
    const file = `${home.dir}/${name}`;
    await writeFile(file, text);
    return file;
  };
  const run = (args: string[]) => vsa(['run', ...args], home.dir);
  /** `provision-site` on the lab with a good site's params, `params` over them. */
  const provision = (params: Record<string, string>) => [
    'provision-site',
    '-i',
    lab().inventoryFile,
    ...Object.entries({ domain: 'shop.example.com', container: 'shop', port: '3000', ...params }).flatMap(
      ([k, v]) => ['-e', `${k}=${v}`],
    ),
  ];

  /** Runs `args` and checks the rejection: exit 5, exactly `message` on stderr, no host contacted. */
  const rejected = async (args: string[], message: string | RegExp): Promise<VsaResult> => {
    const before = await connectionCounts(lab(), ['h01', 'h02']);
    const r = await run(args);
    expect(r.code, said(r)).toBe(5);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, said(r)).toHaveLength(1);
    if (typeof message === 'string') expect(lines[0]).toBe(`vsa: ${message}`);
    else expect(lines[0]).toMatch(message);
    expect(r.stdout).toBe('');
    expect(await connectionCounts(lab(), ['h01', 'h02'])).toEqual(before);
    return r;
  };

  it('a malformed YAML inventory: file and line of the error', async () => {
    const inv = await inventory('malformed.yml');
    await rejected(
      [TEN_TASKS, '-i', inv],
      `${inv}:8: Flow map in block collection must be sufficiently indented and end with a }`,
    );
  });

  it('an unknown host in --limit', async () => {
    await rejected(
      [TEN_TASKS, '-i', lab().inventoryFile, '--limit', 'h01:h09'],
      `${lab().inventoryFile}: --limit h01:h09: no host or group matches 'h09'`,
    );
  });

  it('a host named twice in one mapping is a YAML duplicate key; one host in two groups is fine', async () => {
    const dup = await inventory('duplicate-key.yml');
    await rejected([TEN_TASKS, '-i', dup], `${dup}:7: duplicate key 'h01': map keys must be unique`);

    const two = await inventory('two-groups.yml');
    const r = await run([TEN_TASKS, '-i', two, '--json', '-e', 'root=/srv/vsa-two-groups']);
    expect(r.code, said(r)).toBe(0);
    expect(r.events.filter((e) => e.type === 'host:start').map((e) => e.host)).toEqual(['h01']);
    expect(resultsOf(r.events, 'h01')).toHaveLength(10);
  });

  it('params failing the schema name the field', async () => {
    await rejected(
      [TEN_TASKS, '-i', lab().inventoryFile, '-e', 'root=relative/path'],
      'invalid parameters for ten-tasks: root: Invalid string: must match pattern /^\\/[\\w./-]+$/',
    );
  });

  it.each([
    ['shop example.com', 'domain'],
    ['shop.example.com;reboot', 'domain'],
    ['$(reboot).example.com', 'domain'],
    ['`id`.example.com', 'domain'],
    ["shop.example.com' && rm -rf / '", 'domain'],
  ])('a domain that is not a hostname (%s) is refused before any shell sees it', async (domain) => {
    await rejected(
      provision({ domain }),
      'invalid parameters for provision-site: domain: must be a hostname such as shop.example.com',
    );
  });

  it('shell metacharacters in other params are refused by their schemas too', async () => {
    await rejected(
      provision({ container: 'shop;id', port: '3000|id' }),
      /^vsa: invalid parameters for provision-site: container: must be a container name .*; port: /,
    );
  });

  it('a misspelt -e key: exit 5 naming the closest parameter', async () => {
    await rejected(
      provision({ nowww: 'true' }),
      /^vsa: provision-site has no parameter "nowww" \(did you mean noWww\?\); its parameters: domain, /,
    );
  });

  it('a secret param on the command line: exit 5 pointing at the file, env and prompt ways, the value never shown', async () => {
    const r = await rejected(
      [
        'add-auth',
        '-i',
        lab().inventoryFile,
        '-e',
        'domain=shop.example.com',
        '-e',
        'user=alice',
        '-e',
        'password=hunter2-argv',
      ],
      'password is a secret: not on the command line, where ps and shell history see it; give it in a file (-e @vars.yml), in VSA_PARAM_PASSWORD, or leave it out to be prompted on a terminal',
    );
    expect(r.stderr).not.toContain('hunter2-argv');
  });

  it('a misspelt module argument in a playbook: exit 5 at load naming the task and the key', async () => {
    const file = resolve(`${BAD}/unknown-arg.ts`);
    await rejected(
      [file, '-i', lab().inventoryFile],
      `playbook ${file}: task "dir": file has no argument "moed" (did you mean mode?) (its arguments: path, state, owner, group, mode, recursive, follow)`,
    );
  });

  it('a playbook that does not compile: file, line and column of the syntax error', async () => {
    const file = `${home.dir}/broken.ts`;
    await copyFile(`${BAD}/does-not-compile.ts.txt`, file);
    await rejected(
      [file, '-i', lab().inventoryFile],
      `playbook ${file} could not be loaded: ${file}:12:0: Unexpected "}"`,
    );
  });

  it('a missing key file is named before any connection', async () => {
    const missing = `${home.dir}/no-such-key`;
    const inv = await inventory('key-file.yml', missing);
    await rejected([TEN_TASKS, '-i', inv], `h01: private key file ${missing} does not exist`);
  });

  it('a private key others can read is refused as ssh refuses it', async () => {
    const open = `${home.dir}/id_open`;
    await copyFile(lab().keyFile, open);
    await chmod(open, 0o644);
    const inv = await inventory('key-file.yml', open);
    await rejected(
      [TEN_TASKS, '-i', inv],
      `h01: private key ${open} is accessible by others (mode 0644): refused as ssh does; run chmod 600 ${open}`,
    );
    await chmod(open, 0o600);
    const r = await run([TEN_TASKS, '-i', inv, '-e', 'root=/srv/vsa-key']);
    expect(r.code, said(r)).toBe(0);
  });

  it('a number option past its range (a timer would overflow) names the option and the range', async () => {
    await rejected(
      [TEN_TASKS, '-i', lab().inventoryFile, '--connect-timeout', '99999999999'],
      '--connect-timeout must be a whole number from 1 to 3600 (seconds), got "99999999999"',
    );
  });

  it('a playbook whose tasks() throws: exit 5 naming the file and the cause', async () => {
    const file = resolve(`${BAD}/tasks-throw.ts`);
    await rejected(
      [file, '-i', lab().inventoryFile],
      `playbook ${file}: tasks() threw: no site list for this tenant`,
    );
  });

  it('a task timeout past what a timer holds: exit 5 naming the task', async () => {
    const file = resolve(`${BAD}/task-timeout.ts`);
    await rejected(
      [file, '-i', lab().inventoryFile],
      `playbook ${file}: task "wait": timeoutMs: must be at most 2147483647 ms (about 24.8 days, what a timer holds)`,
    );
  });

  it('a playbook stuck at import (a top-level await that never settles): exit 5, not 13', async () => {
    const file = resolve(`${BAD}/import-hangs.ts`);
    await rejected(
      [file, '-i', lab().inventoryFile],
      `playbook ${file} never finished loading: a top-level await in it (or in a module it imports) waits for something that never happens`,
    );
  });

  it('two inventory names for one machine both run, one after the other, with a warning naming them', async () => {
    const inv = await inventory('same-machine.yml');
    const r = await run([TEN_TASKS, '-i', inv, '--json', '-e', 'root=/srv/vsa-same-machine']);
    expect(r.code, said(r)).toBe(0);
    expect(r.stderr).toBe(
      `vsa: warning: h01, h01-alias are one machine (${lab().host('h01').address}:22) under 2 inventory names: they run one after the other\n`,
    );
    expect(r.end!.recap!.h01).toMatchObject({ changed: 8, failed: 0 });
    expect(r.end!.recap!['h01-alias']).toMatchObject({ changed: 0, ok: 10, failed: 0 });
    expect(resultsOf(r.events).filter((e) => /locked/.test(String(e.message)))).toEqual([]);
  });

  it('a template with an undefined variable fails its task naming the variable (a task failure: exit 2)', async () => {
    const r = await run([`${BAD}/undefined-var.ts`, '-i', lab().inventoryFile, '--json']);
    expect(r.code, said(r)).toBe(2);
    for (const h of ['h01', 'h02']) {
      expect(resultsOf(r.events, h)).toEqual([
        expect.objectContaining({
          task: 'vhost',
          status: 'failed',
          message: 'template (inline): line 3: undefined variable `webroot`',
        }),
      ]);
      expect(existsSync(onHost(lab(), h, '/srv/vsa-undefined'))).toBe(false);
    }
  });

  it('none of the rejected runs is in the history', async () => {
    const r = await vsa(['history', '--json', '--limit', '50'], home.dir);
    const playbooks = r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { playbook: string }).playbook);
    // Only the runs that were accepted: two groups, the fixed key, one machine twice, the undefined variable.
    expect(playbooks.sort()).toEqual(['ten-tasks', 'ten-tasks', 'ten-tasks', 'undefined-var']);
  });
});
