import { describeParams, secretParamEnv } from '../runner/playbook/params.js';
import type { PlaybookDef } from '../runner/playbook/types.js';
import { prompt } from './read-password.js';

interface SecretSources {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WritableStream;
}

/**
 * The secret params not given in a `-e @file`: from `VSA_PARAM_<NAME>`, else (a required one, on a
 * terminal) a prompt without echo. Never from argv, which `checkParamNames` refuses.
 */
export async function fillSecretParams(pb: PlaybookDef, vars: Record<string, unknown>, s: SecretSources): Promise<Record<string, unknown>> {
  const out = { ...vars };
  for (const p of describeParams(pb)) {
    if (!p.secret || out[p.name] !== undefined) continue;
    const fromEnv = s.env[secretParamEnv(p.name)];
    if (fromEnv) out[p.name] = fromEnv;
    else if (p.required && s.stdin.isTTY) out[p.name] = await prompt(s.stdin, s.stderr, `${p.name}: `);
  }
  return out;
}
