import type { CommandModule } from '../program.js';
import * as run from './run.js';
import * as check from './check.js';
import * as playbooks from './playbooks.js';
import * as history from './history.js';
import * as status from './status.js';
import * as cancel from './cancel.js';
import * as audit from './audit.js';
import * as inventory from './inventory.js';
import * as site from './site.js';
import * as auth from './auth.js';
import * as cert from './cert.js';
import * as vhost from './vhost.js';
import * as stack from './stack.js';
import * as bootstrap from './bootstrap.js';
import * as dashboard from './dashboard.js';

/** Every subcommand, in the order `vsa --help` lists them. */
export const commands: CommandModule[] = [run, check, playbooks, inventory, history, status, cancel, audit, site, auth, cert, vhost, stack, bootstrap, dashboard];
