import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { RETENTION_DAYS } from '../../../runner/store/settings.js';
import { auditAdmin } from '../auth/admin-audit.js';
import { actorOf } from '../auth/guard.js';
import type { DashboardContext } from '../context.js';
import { parse } from '../errors.js';
import { auditFilterSchema, listAudit } from '../queries/audit.js';

const settingsBody = z.object({ retentionDays: z.number().int().min(1).max(3650) }).strict();

/** The audit trail and the retention that bounds it. */
export function auditRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const { store } = ctx;

  app.get('/api/audit', { config: { access: 'viewer' } }, async (req) => listAudit(store, parse(auditFilterSchema, req.query, 'audit filter')));

  app.get('/api/audit/actions', { config: { access: 'viewer' } }, async () => ({
    actions: (store.db.prepare('SELECT DISTINCT action FROM audit_events ORDER BY action').all() as { action: string }[]).map((r) => r.action),
  }));

  app.get('/api/settings', { config: { access: 'viewer' } }, async () => {
    const days = store.settings.get(RETENTION_DAYS);
    return { retentionDays: days === undefined ? null : Number(days) };
  });

  app.put('/api/settings', { config: { access: 'admin' } }, async (req) => {
    const body = parse(settingsBody, req.body, 'settings');
    const before = store.settings.get(RETENTION_DAYS);
    store.settings.set(RETENTION_DAYS, String(body.retentionDays));
    auditAdmin(store.audit, actorOf(req), 'settings:update', RETENTION_DAYS, {
      before: before === undefined ? null : Number(before),
      after: body.retentionDays,
    });
    return { retentionDays: body.retentionDays };
  });
}
