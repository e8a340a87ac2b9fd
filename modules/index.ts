export { copy } from './copy.js';
export { directory, file } from './file.js';
export { stat } from './stat.js';
export { template } from './template.js';
export { blockInFile } from './blockinfile.js';
export { lineInFile } from './lineinfile.js';
export { command } from './command.js';
export { shell } from './shell.js';
export { cron } from './cron.js';
