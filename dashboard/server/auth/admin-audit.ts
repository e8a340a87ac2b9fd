import type { AuditEvents } from '../../../runner/store/audit-events.js';

/** The admin actions the audit log records, whoever made them (the CLI or the API). */
export type AdminAction =
  | 'dashboard:user-add'
  | 'dashboard:user-password'
  | 'dashboard:user-role'
  | 'dashboard:user-remove'
  | 'dashboard:token-create'
  | 'dashboard:token-revoke'
  | 'settings:update';

/** Records one admin action; details name what changed, never a password or a token's value. */
export function auditAdmin(audit: AuditEvents, actor: string, action: AdminAction, target: string, details: Record<string, unknown>): void {
  audit.add({ time: new Date().toISOString(), actor, action, target, result: 'ok', details });
}
