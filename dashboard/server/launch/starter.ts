import { ParamsError } from '../../../runner/errors.js';
import { loadPlaybook } from '../../../runner/playbook/load.js';
import { validateParams } from '../../../runner/playbook/params.js';
import type { PlaybookDef } from '../../../runner/playbook/types.js';
import type { DashboardContext } from '../context.js';
import { HttpError, parse } from '../errors.js';
import type { DashboardOptions } from '../options.js';
import { requestParams, runOffer, startBody, type RunOffer } from './offer.js';

/** Why a run was started, for its audit line: from the form, or again from an earlier run. */
export interface StartCause {
  action: 'dashboard:run' | 'dashboard:rerun';
  details?: Record<string, unknown>;
}

export interface Starter {
  offer: RunOffer;
  /** An offered playbook by its ref; loaded once. */
  load(ref: string): Promise<PlaybookDef>;
  /** The offered ref whose playbook is named `name` (a run records the name, not the ref). */
  refOf(name: string): Promise<string | undefined>;
  /**
   * Checks a start request as `POST /api/runs` takes it (the offer, the params a request may set,
   * then the playbook's whole schema), launches it and audits it; the new run's id.
   */
  start(request: unknown, actor: string, cause: StartCause): Promise<string>;
}

export function createStarter(ctx: DashboardContext, opts: DashboardOptions): Starter {
  const offer = opts.offer ?? runOffer();
  const body = startBody(offer);
  const cache = new Map<string, PlaybookDef>();
  const load = async (ref: string) => {
    const pb = cache.get(ref) ?? (await loadPlaybook(ref));
    cache.set(ref, pb);
    return pb;
  };
  return {
    offer,
    load,
    async refOf(name) {
      for (const ref of offer.playbooks) {
        // One offered playbook that does not load must not hide the others.
        const pb = await load(ref).catch(() => undefined);
        if (pb?.name === name) return ref;
      }
      return undefined;
    },
    async start(request, actor, cause) {
      const run = parse(body, request, 'run request');
      const pb = await load(run.playbook);
      const allowed = requestParams(pb, offer);
      // A request that sets one of the dashboard's own params is refused (unknown key), never overridden quietly.
      parse(allowed.schema, run.params, `parameters for ${pb.name}`);
      const params = { ...run.params, ...allowed.fixed };
      // Then the playbook's whole schema: rules across fields (`container` unless `externalPort`) live there.
      try {
        validateParams(pb, params);
      } catch (err) {
        if (err instanceof ParamsError) throw new HttpError(400, err.message);
        throw err;
      }
      if (!opts.launcher) throw new HttpError(503, 'this dashboard does not start runs (no inventory configured)');
      const { runId } = await opts.launcher.launch({ ...run, params, actor });
      ctx.store.audit.add({
        time: new Date().toISOString(),
        actor,
        action: cause.action,
        target: run.playbook,
        result: 'started',
        details: { params: Object.keys(params), limit: run.limit ?? null, check: run.check, ...cause.details },
        runId,
      });
      return runId;
    },
  };
}
