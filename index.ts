/**
 * What a playbook or module written outside this repository imports: `import { definePlaybook,
 * task, z, directory } from 'vsa'`.
 */
export { z } from 'zod';
export { definePlaybook, task } from './runner/playbook/define.js';
export type { Arg, HostContext, PlaybookDef, Task, TaskOptions } from './runner/playbook/types.js';
export { defineRead, type Read, type ReadDef, type ReadSource } from './runner/playbook/read.js';
export { defineOutcome, type OutcomeHandle } from './runner/playbook/outcome.js';
export { HostReads, ReadMissingError } from './runner/playbook/host-reads.js';
export { defineFact, defineModule } from './runner/module/define.js';
export type { FactDef, ModuleContext, ModuleDef, Outcome, Plan, Probe } from './runner/module/types.js';
export { argv, chain, pipeContent, script, type Command } from './runner/shell/command.js';
export { quote } from './runner/shell/quote.js';
export * from './modules/index.js';
