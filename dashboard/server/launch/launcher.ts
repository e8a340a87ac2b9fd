/** What `POST /api/runs` asks for, already validated against the playbook's schema. */
export interface LaunchRequest {
  playbook: string;
  params: Record<string, unknown>;
  limit?: string;
  check: boolean;
  diff: boolean;
  /** Recorded as the run's actor (`dashboard:alice`). */
  actor: string;
}

/** Starts a run and resolves with its id once the run has recorded its start. */
export interface RunLauncher {
  launch(req: LaunchRequest): Promise<{ runId: string }>;
}
