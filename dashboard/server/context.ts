import { migrate } from '../../runner/store/migrate.js';
import { dashboardMigrations } from '../../runner/store/migrations/dashboard.js';
import { openStore, type Store } from '../../runner/store/index.js';
import { Sessions } from './auth/sessions.js';
import { Tokens } from './auth/tokens.js';
import { Users } from './auth/users.js';
import { RunChanges } from './run-changes.js';

/** What every route works on: the one store the runners write, and the dashboard's accounts. */
export interface DashboardContext {
  store: Store;
  users: Users;
  sessions: Sessions;
  tokens: Tokens;
  changes: RunChanges;
}

/** Opens the store in `dir` with the dashboard's tables added. */
export function openDashboardStore(dir: string): Store {
  const store = openStore(dir);
  migrate(store.db, dashboardMigrations);
  return store;
}

export function createContext(store: Store): DashboardContext {
  return {
    store,
    users: new Users(store.db, store.audit),
    sessions: new Sessions(store.db),
    tokens: new Tokens(store.db, store.audit),
    changes: new RunChanges(),
  };
}
