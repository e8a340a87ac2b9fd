export { initSystemFact, systemdMissing, type InitSystemFacts } from './init-system.js';
export { netToolsFact, type NetToolsFacts } from './net-tools.js';
export { isDebianFamily, osFact, type OsFacts } from './os.js';
export { composeFact, type ComposeFact, type ComposeKind } from './compose.js';
export { dockerFact, type DockerFact } from './docker.js';
export { nginxFact, type NginxFact } from './nginx.js';
