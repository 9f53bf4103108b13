import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbox', (t) => {
    // Publication order is id order: per customer, commands reach Kafka in the order they were written.
    t.bigIncrements('id').primary();
    t.uuid('event_id').notNullable().unique();
    t.text('topic').notNullable();
    t.text('message_key').notNullable();
    t.jsonb('message').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('published_at', { useTz: true });
  });
  await knex.raw(`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbox');
}
