/**
 * What a playbook or module written outside this repository imports: `import { definePlaybook,
 * task, z, directory } from 'vsa'`.
 */
export { z } from 'zod';
export { definePlaybook, task } from './runner/playbook/define.js';
export type { Arg, HostContext, PlaybookDef, Task, TaskOptions } from './runner/playbook/types.js';
export { defineFact, defineModule } from './runner/module/define.js';
export type { FactDef, ModuleContext, ModuleDef, Outcome, Plan, Probe } from './runner/module/types.js';
export { argv, chain, pipeContent, script, type Command } from './runner/shell/command.js';
export { quote } from './runner/shell/quote.js';
export * from './modules/index.js';
