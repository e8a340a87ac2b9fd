export { createRedactor, defaultSecretEnv, MASK, type Redact, type RedactorOptions } from './redactor.js';
export { secretParamValues } from './secret-params.js';
