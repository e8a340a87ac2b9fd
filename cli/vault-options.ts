import type { Command } from 'commander';
import { collect } from './list-option.js';

/** The vault options of every command that reads an inventory, named and shaped as Ansible's. */
export function addVaultOptions(cmd: Command): Command {
  return cmd
    .option(
      '--vault-id <[label@]source>',
      'a vault password and its id (repeatable): SOURCE is a file, an executable that prints the password, or prompt; a $ANSIBLE_VAULT;1.2;AES256;LABEL value tries the matching id first',
      collect,
      [],
    )
    .option(
      '--vault-password-file <file>',
      'a vault password file (repeatable; id default); an executable file prints the password. Also $ANSIBLE_VAULT_PASSWORD_FILE, ansible.cfg vault_password_file',
      collect,
      [],
    )
    .option('-J, --ask-vault-pass', 'prompt for the vault password (on a terminal)', false);
}
