import type { Migration } from './index.js';

/**
 * Dashboard roles (viewer, operator, admin). Every user before roles could do everything, so each
 * existing user becomes admin; a user added later is a viewer unless given another role.
 */
export const dashboardRoles: Migration = {
  version: 102,
  name: 'dashboard-roles',
  sql: `ALTER TABLE dashboard_users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';`,
};
