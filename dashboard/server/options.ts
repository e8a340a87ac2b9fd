import type { RunLauncher } from './launch/launcher.js';
import type { RunOffer } from './launch/offer.js';

export interface DashboardOptions {
  /** The built web app (`dashboard/web/dist`); without it only the API is served. */
  webRoot?: string;
  /** Mark the session cookie Secure: set when the dashboard is reached over HTTPS (behind the proxy). */
  secureCookie?: boolean;
  /** Trust X-Forwarded-For from the reverse proxy, so login limits count the real client. */
  trustProxy?: boolean;
  /** Login attempts per client address and window (default 10 a minute). */
  loginLimit?: { max: number; windowMs: number };
  /** How often a live stream looks at the store for results written by other processes (default 500 ms). */
  pollMs?: number;
  /** How often to look for runs whose process stopped beating, to mark them interrupted (default 5 s). */
  sweepMs?: number;
  /** Starts runs for `POST /api/runs`; without one, starting runs answers 503. */
  launcher?: RunLauncher;
  /** The playbooks and stacks directory runs started here may use (default: every built-in, no stacks). */
  offer?: RunOffer;
  logger?: boolean;
}
