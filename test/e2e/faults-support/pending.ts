import { z } from 'zod';
import { command, nginxReload, nginxVhost } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/** Served only behind basic auth once NGINX has reloaded the vhost. */
export const CLOSED_SITE = 'closed.lab.test';

/**
 * An NGINX vhost write that closes a site with `auth_basic` and notifies the reload, then a
 * pause: a run killed in the pause has written the vhost and not reloaded NGINX.
 */
export default definePlaybook({
  name: 'faults-pending',
  description: 'Close a site with basic auth, reload NGINX, pause first (fault-injection fixture)',
  hosts: 'all',
  params: z.object({ pause: z.coerce.number().min(0).max(60).default(0) }),
  tasks: ({ pause }) => [
    task(
      nginxVhost,
      'vhost',
      {
        name: CLOSED_SITE,
        content:
          `server {\n\tlisten 80;\n\tserver_name ${CLOSED_SITE};\n\tlocation / {\n` +
          '\t\tauth_basic "closed";\n\t\tauth_basic_user_file /etc/nginx/closed.htpasswd;\n' +
          '\t\troot /var/www/html;\n\t\ttry_files /index.html =404;\n\t}\n}\n',
      },
      { notify: ['reload nginx'] },
    ),
    task(command, 'pause', { argv: ['sleep', String(pause)] }, { changedWhen: () => false }),
  ],
  handlers: () => [task(nginxReload, 'reload nginx', {})],
});
