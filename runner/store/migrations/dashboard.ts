import { dashboardAuth } from './101-dashboard-auth.js';
import { dashboardRoles } from './102-dashboard-roles.js';
import { dashboardTokenHosts } from './103-dashboard-token-hosts.js';
import type { Migration } from './index.js';

/** The dashboard's own tables, numbered from 101, applied by the dashboard when it opens the store. */
export const dashboardMigrations: Migration[] = [dashboardAuth, dashboardRoles, dashboardTokenHosts];
