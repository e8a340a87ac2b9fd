// The API's shapes, taken from the server's own types so the two never drift.
export type { AuditEvent, HostProgress, HostStateRecord, RunRecord, TaskResultRecord } from '../../../runner/store/types';
export type { HostStatus } from '../../../runner/store/host-status';
export type { Recap, HostStats } from '../../../runner/events/types';
export type { ResultSummary } from '../../server/queries/results';
export type { CompareRow } from '../../server/queries/compare';
export type { SearchHit } from '../../server/queries/search';
export type { CertificateRow, ContainerRow, SiteRow } from '../../server/queries/fleet-state';
export type { HostSummary, TimelineEntry } from '../../server/queries/hosts';
export type { RunPage as RunList } from '../../server/queries/runs';
