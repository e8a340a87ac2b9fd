export { attrChanges, attrCommands, describeChanges, type AttrChange, type Attrs } from './attrs.js';
export { attributeDiff, isEnvFile, unifiedDiff, type DiffOptions } from './diff.js';
export { ProbeError } from './errors.js';
export {
  fileStateProbe,
  fileStateScript,
  parseFileState,
  type FileState,
  type FileType,
  type ProbeOptions,
} from './file-state.js';
export { sha256 } from '../../runner/util/sha256.js';
export { normalizeMode, octalMode } from './mode.js';
export { parseWriteOutput, writeFileScript, type WriteFileOptions } from './write-file.js';
export { insertIndex, joinLines, lastMatch, splitLines, type InsertAt } from './lines.js';
export { planContentWrite, planRemove, type ContentWrite } from './plan-write.js';
export { renderForPlan, renderTemplate, TemplateError, type RenderOptions } from './render.js';
export { absolutePath, regexSource } from './schemas.js';
export { planDestWrite, validateCommand, writeParams } from './write-params.js';
export { editParams, planEdit } from './plan-edit.js';
export { guardProbe, planRun, runParams } from './run-params.js';
