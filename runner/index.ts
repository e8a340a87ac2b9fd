/**
 * What a playbook or module written outside this repository imports: `import { definePlaybook,
 * task, z, directory } from 'vsa'`.
 */
export { z } from 'zod';
export { definePlaybook, task } from './playbook/define.js';
export type { Arg, HostContext, PlaybookDef, Task, TaskOptions } from './playbook/types.js';
export { defineRead, type Read, type ReadDef, type ReadSource } from './playbook/read.js';
export { defineOutcome, type OutcomeHandle } from './playbook/outcome.js';
export { HostReads, ReadMissingError } from './playbook/host-reads.js';
export { defineFact, defineModule } from './module/define.js';
export type { FactDef, ModuleContext, ModuleDef, Outcome, Plan, Probe } from './module/types.js';
export { argv, chain, pipeContent, script, type Command } from './shell/command.js';
export { quote } from './shell/quote.js';
export * from '../modules/index.js';
