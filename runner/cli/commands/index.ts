import type { CommandModule } from '../program.js';
import * as run from './run.js';
import * as playbooks from './playbooks.js';
import * as history from './history.js';
import * as audit from './audit.js';
import * as inventory from './inventory.js';

/** Every subcommand, in the order `vsa --help` lists them. */
export const commands: CommandModule[] = [run, playbooks, inventory, history, audit];
