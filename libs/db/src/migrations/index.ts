import type { Knex } from 'knex';
import * as customers from './20261127000001_customers';
import * as outbox from './20261127000002_outbox';
import * as processedEvents from './20261127000003_processed_events';
import * as idempotencyKeys from './20261127000004_idempotency_keys';
import * as reconcileRuns from './20261127000005_reconcile_runs';
import * as fieldMerge from './20261129000001_field_merge';
import * as customerProfile from './20261129000002_customer_profile';
import * as retentionIndexes from './20261129000006_retention_indexes';
import * as apiDeletedAt from './20261130000001_api_deleted_at';
import * as linkProvisional from './20261130000002_link_provisional';

const migrations: Record<string, Knex.Migration> = {
  '20261127000001_customers': customers,
  '20261127000002_outbox': outbox,
  '20261127000003_processed_events': processedEvents,
  '20261127000004_idempotency_keys': idempotencyKeys,
  '20261127000005_reconcile_runs': reconcileRuns,
  '20261129000001_field_merge': fieldMerge,
  '20261129000002_customer_profile': customerProfile,
  '20261129000006_retention_indexes': retentionIndexes,
  '20261130000001_api_deleted_at': apiDeletedAt,
  '20261130000002_link_provisional': linkProvisional,
};

/** Migrations imported statically, so bundled services carry them and no directory scan is needed. */
export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
