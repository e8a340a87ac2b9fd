export { buildDashboard } from './app.js';
export { createContext, openDashboardStore, type DashboardContext } from './context.js';
export { cliLauncher, type CliLauncherOptions } from './launch/cli-launcher.js';
export type { LaunchRequest, RunLauncher } from './launch/launcher.js';
export { runOffer, type RunOffer } from './launch/offer.js';
export type { DashboardOptions } from './options.js';
export { tokenScopes, type TokenScope } from './auth/tokens.js';
