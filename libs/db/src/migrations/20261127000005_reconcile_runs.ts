import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reconcile_runs', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    // Last Stripe customer id handled, so an interrupted run resumes where it stopped.
    t.text('cursor');
    t.jsonb('seen_ids').notNullable().defaultTo('[]');
    t.jsonb('stats').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('reconcile_runs');
}
