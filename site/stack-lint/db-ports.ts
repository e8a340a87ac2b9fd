import type { PortSpec } from './compose-schema.js';

/** Ports of databases and caches that must never be reachable from outside the host. */
export const DB_PORTS = new Set([
  1433, 1521, 3306, 5432, 5433, 5984, 6379, 7687, 8529, 9042, 9200, 9300, 11211, 26257, 27017, 28015, 33060,
]);

/** Repository names (the last path segment) of database and cache images, official and common vendors'. */
const DB_IMAGES = new Set([
  'postgres',
  'postgresql',
  'postgis',
  'pgvector',
  'timescaledb',
  'timescaledb-ha',
  'mysql',
  'mysql-server',
  'mariadb',
  'percona-server',
  'mongo',
  'mongodb',
  'redis',
  'redis-stack',
  'redis-stack-server',
  'valkey',
  'keydb',
  'memcached',
  'cassandra',
  'scylla',
  'couchdb',
  'elasticsearch',
  'opensearch',
  'clickhouse-server',
  'cockroach',
  'neo4j',
  'influxdb',
  'weaviate',
  'qdrant',
  'milvus',
  'mssql-server',
]);

/** The image name without `${VAR:-…}` wrapping, so `${DB_IMAGE:-postgres:16}` counts as postgres. */
export function looksLikeDatabase(image: string | undefined): boolean {
  if (!image) return false;
  const unwrapped = image.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, '$1');
  const repo = unwrapped.split('@')[0]!.split('/').pop()!.split(':')[0]!.toLowerCase();
  return DB_IMAGES.has(repo);
}

/** The container port a published port maps to, or undefined for what is not a port mapping. */
export function containerPort(spec: PortSpec): number | undefined {
  if (typeof spec === 'number') return spec;
  if (typeof spec === 'object') return Number.parseInt(String(spec.target), 10);
  // [IP:][HOST:]CONTAINER[/PROTO]; IPv6 addresses come in brackets.
  const last =
    spec
      .replace(/\[[^\]]*\]/g, '')
      .split(':')
      .pop() ?? '';
  const n = Number.parseInt(last.split('/')[0]!.split('-')[0]!, 10);
  return Number.isNaN(n) ? undefined : n;
}
