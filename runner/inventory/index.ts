export type { Inventory, InventoryGroup, InventoryHost } from './types.js';
export { loadInventory, parseInventory } from './load.js';
export { hostMatcher, limitHosts, matchPattern, selectHosts, type PatternMatch } from './select.js';
export { formatAnsibleJson, toAnsibleGraph, toAnsibleList, type AnsibleList } from './ansible-list.js';
export { HostConnectionSchema, type HostConnection } from './schema.js';
