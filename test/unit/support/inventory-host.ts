import type { InventoryHost } from '../../../runner/inventory/types.js';

/** A resolved inventory host as the loader makes one: `web1` on a lab address, with `fields` on top. */
export const inventoryHost = (fields: Partial<InventoryHost> = {}): InventoryHost => ({
  name: 'web1',
  address: '198.18.0.5',
  port: 22,
  become: false,
  connection: 'ssh',
  vars: {},
  groups: ['all'],
  ...fields,
});
