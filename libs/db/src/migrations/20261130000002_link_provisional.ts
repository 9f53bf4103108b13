import type { Knex } from 'knex';

/**
 * `link_provisional`: the row's Stripe id was linked by a metadata claim while our create was in
 * flight, and our create's result has not yet confirmed which customer is ours. Commands made
 * meanwhile carry no Stripe id but our create (docs/sync-rules.md, "The link"), found in the outbox
 * by the index below. Existing rows are confirmed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.boolean('link_provisional').notNullable().defaultTo(false);
  });
  await knex.raw(
    `CREATE INDEX outbox_create_by_key_idx ON outbox (message_key, id) WHERE message->'payload'->>'action' = 'create'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS outbox_create_by_key_idx`);
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumn('link_provisional');
  });
}
