export { attrChanges, attrCommands, describeChanges, type AttrChange, type Attrs } from './attrs.js';
export { attributeDiff, unifiedDiff } from './diff.js';
export { ProbeError } from './errors.js';
export { fileStateProbe, fileStateScript, parseFileState, type FileState, type FileType, type ProbeOptions } from './file-state.js';
export { sha256 } from './hash.js';
export { normalizeMode, octalMode } from './mode.js';
export { parseWriteOutput, writeFileScript, type WriteFileOptions } from './write-file.js';
