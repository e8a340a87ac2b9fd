export { copy } from './copy.js';
export { directory, file } from './file.js';
export { stat } from './stat.js';
export { template } from './template.js';
