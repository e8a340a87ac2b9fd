import { z } from 'zod';

/** `hosts: web1` and `children: web` are Ansible's short form of a mapping with one empty entry. */
const oneNameAsMapping = (v: unknown) => (typeof v === 'string' ? { [v]: null } : v);

const VarsSchema = z.record(z.string(), z.unknown(), {
  error: 'expected a mapping of variables',
});

const HostEntriesSchema = z.preprocess(
  oneNameAsMapping,
  z
    .record(z.string(), VarsSchema.nullable(), {
      error: 'expected a mapping of host names (or one host name)',
    })
    .nullable(),
);

/** One group of an Ansible YAML inventory, at any depth. */
export const GroupSchema = z.strictObject(
  {
    hosts: HostEntriesSchema.optional(),
    // The annotation lets TypeScript follow the recursion (zod's documented pattern).
    get children(): z.ZodOptional<
      z.ZodPreprocess<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodNullable<typeof GroupSchema>>>, unknown>
    > {
      return z
        .preprocess(
          oneNameAsMapping,
          z
            .record(z.string(), GroupSchema.nullable(), {
              error: 'expected a mapping of group names (or one group name)',
            })
            .nullable(),
        )
        .optional();
    },
    vars: VarsSchema.nullable().optional(),
  },
  {
    error: (iss: z.core.$ZodRawIssue) =>
      iss.code === 'unrecognized_keys'
        ? `unexpected key ${iss.keys.map((k) => `'${k}'`).join(', ')}: a group takes only hosts, children and vars`
        : 'a group must be a mapping of hosts, children and vars (or empty)',
  },
);

/** The whole file: top-level keys are groups (`all` or any other). */
export const InventoryFileSchema = z.record(z.string(), GroupSchema.nullable());

// TypeScript's inference stops at the recursion (children come out as `unknown`): restate that one
// field, the rest is the schema's own output.
export type GroupData = Omit<z.output<typeof GroupSchema>, 'children'> & {
  children?: Record<string, GroupData | null> | null;
};
export type InventoryFile = Record<string, GroupData | null>;

const text = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' }),
);

const portError = { error: 'expected a port number from 1 to 65535' };
const port = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z.number(portError).int(portError).min(1, portError).max(65535, portError),
);

// Ansible's `boolean()` filter: the words and numbers it accepts for a boolean setting.
const truthy = ['y', 'yes', 'on', '1', 'true', 't'];
const falsy = ['n', 'no', 'off', '0', 'false', 'f'];
const bool = z.preprocess(
  (v) => {
    const s = String(v).toLowerCase();
    if (typeof v === 'boolean') return v;
    if (typeof v !== 'string' && typeof v !== 'number') return v;
    return truthy.includes(s) ? true : falsy.includes(s) ? false : v;
  },
  z.boolean({ error: 'expected a boolean (true/false, yes/no)' }),
);

const connection = z
  .enum(['ssh', 'smart', 'paramiko', 'local'], {
    error: 'vsa connects with ssh or local',
  })
  .transform((c) => (c === 'local' ? 'local' : 'ssh'));

const becomeMethod = z.enum(['sudo', 'su'], { error: 'vsa becomes with sudo or su' });

/** How to reach a host, resolved from its merged variables. */
export const HostConnectionSchema = z.object({
  address: text,
  port: port.default(22),
  user: text.optional(),
  keyFile: text.optional(),
  become: bool.default(false),
  becomeMethod: becomeMethod.default('sudo'),
  becomeUser: text.default('root'),
  /** For sudo or su on the host; a secret: the run's redactor hides it. */
  becomePassword: z.string({ error: 'expected a string' }).optional(),
  connection: connection.default('ssh'),
}).refine((c) => c.becomeMethod !== 'su' || c.becomeUser === 'root', {
  path: ['becomeMethod'],
  error: 'su becomes root only in vsa (it asks for the target\'s password on a terminal): use sudo for another become_user',
});

export type HostConnection = z.output<typeof HostConnectionSchema>;

/**
 * The variables each connection field is read from, most specific first: the `ansible_*` name,
 * its old `ansible_ssh_*` alias, then vsa's short key.
 */
export const connectionKeys: Record<keyof HostConnection, readonly string[]> = {
  address: ['ansible_host', 'ansible_ssh_host', 'host'],
  port: ['ansible_port', 'ansible_ssh_port', 'port'],
  user: ['ansible_user', 'ansible_ssh_user', 'user'],
  keyFile: ['ansible_ssh_private_key_file', 'ansible_private_key_file', 'key'],
  become: ['ansible_become', 'become'],
  becomeMethod: ['ansible_become_method', 'become_method'],
  becomeUser: ['ansible_become_user', 'become_user'],
  becomePassword: ['ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass', 'become_password'],
  connection: ['ansible_connection'],
};
