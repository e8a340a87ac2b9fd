import { z } from 'zod';
import { directory, htpasswd, nginxReload, nginxVhost } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

const vhost = (site: string, authFile: string, rev: string) => `server {
	listen 80;
	server_name ${site};
	location / {
		return 200 "rev ${rev}\\n";
	}
	location /private {
		auth_basic "private";
		auth_basic_user_file ${authFile};
		root /var/www/html;
		try_files /index.html =404;
	}
}
`;

/** An NGINX vhost behind basic auth, reloaded by a handler (e2e fixture). */
export default definePlaybook({
  name: 'e2e-nginx-site',
  description: 'nginx_vhost, htpasswd and the nginx_reload handler',
  hosts: 'all',
  params: z.object({
    site: z
      .string()
      .regex(/^[a-z0-9.-]+$/)
      .default('site.lab.test'),
    rev: z.coerce.string().regex(/^\d+$/).default('1'),
    password: z.string().min(8).meta({ secret: true }),
  }),
  tasks: ({ site, rev, password }) => {
    const authFile = `/etc/nginx/htpasswd/${site}`;
    return [
      task(directory, 'auth dir', { path: '/etc/nginx/htpasswd', group: 'www-data', mode: '0750' }),
      task(htpasswd, 'alice', { path: authFile, user: 'alice', password, group: 'www-data' }),
      task(
        nginxVhost,
        'vhost',
        { name: site, content: vhost(site, authFile, rev) },
        { notify: ['reload nginx'] },
      ),
    ];
  },
  handlers: () => [task(nginxReload, 'reload nginx', {})],
});
