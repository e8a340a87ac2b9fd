export interface PushTarget {
  /** Dashboard base URL; events go to `${url}/api/ingest/events`. */
  url: string;
  token: string;
}

export interface PushConfig {
  dashboard?: { url?: string; token?: string };
}

/** The dashboard to push to: env (`VSA_DASHBOARD_URL`, `VSA_DASHBOARD_TOKEN`) over config; none unless both are set. */
export function pushTarget(env: NodeJS.ProcessEnv = process.env, config: PushConfig = {}): PushTarget | undefined {
  const url = env['VSA_DASHBOARD_URL'] || config.dashboard?.url;
  const token = env['VSA_DASHBOARD_TOKEN'] || config.dashboard?.token;
  return url && token ? { url: url.replace(/\/+$/, ''), token } : undefined;
}
