import { setVar, type Draft, type SourceFile } from './draft.js';
import { hostNames } from './host-names.js';
import type { GroupData, InventoryFile } from './schema.js';
import type { YamlPath } from './yaml-source.js';

/**
 * Adds a validated YAML inventory to the draft in document order, the way Ansible's `yaml`
 * inventory plugin walks it.
 */
export function addYamlInventory(draft: Draft, file: InventoryFile, src: SourceFile): void {
  const at = (path: YamlPath) => ({ file: src, path });
  const parseGroup = (name: string, data: GroupData | null, path: YamlPath) => {
    draft.group(name);
    if (!data) return;
    // Sections in the order the file lists them, as Ansible reads them.
    for (const section of Object.keys(data) as (keyof GroupData)[]) {
      const here = [...path, section];
      if (section === 'vars') {
        for (const [k, v] of Object.entries(data.vars ?? {})) draft.setGroupVar(name, k, v, at([...here, k]));
      } else if (section === 'children') {
        for (const [child, childData] of Object.entries(data.children ?? {})) {
          parseGroup(child, childData, [...here, child]);
          draft.addChild(name, child, at([...here, child]));
        }
      } else if (section === 'hosts') {
        for (const [key, hostVars] of Object.entries(data.hosts ?? {})) {
          const { names, port } = hostNames(key, at([...here, key]));
          for (const hostName of names) {
            const h = draft.addHost(hostName, name, port, at([...here, key]));
            for (const [k, v] of Object.entries(hostVars ?? {})) setVar(h, k, v, at([...here, key, k]));
          }
        }
      }
    }
  };
  for (const [name, data] of Object.entries(file)) parseGroup(name, data, [name]);
}
