export { initSystemFact, systemdMissing, type InitSystemFacts } from './init-system.js';
export { netToolsFact, type NetToolsFacts } from './net-tools.js';
export { isDebianFamily, osFact, type OsFacts } from './os.js';
