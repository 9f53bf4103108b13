import type { Knex } from 'knex';

// Pruning walks each table by age; these indexes keep every batch a short index range scan.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL`);
  await knex.raw(`CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at)`);
  await knex.raw(`CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS idempotency_keys_created_at_idx`);
  await knex.raw(`DROP INDEX IF EXISTS processed_events_processed_at_idx`);
  await knex.raw(`DROP INDEX IF EXISTS outbox_published_at_idx`);
}
