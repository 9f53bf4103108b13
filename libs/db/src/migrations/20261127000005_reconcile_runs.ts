import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reconcile_runs', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    // Last Stripe customer id handled, so an interrupted run resumes where it stopped.
    t.text('cursor');
    t.jsonb('stats').notNullable().defaultTo('{}');
  });
  // Stripe customers a run has seen; what is linked but unseen at the end is gone from Stripe.
  await knex.schema.createTable('reconcile_seen', (t) => {
    t.bigInteger('run_id').notNullable().references('id').inTable('reconcile_runs').onDelete('CASCADE');
    t.text('stripe_customer_id').notNullable();
    t.primary(['run_id', 'stripe_customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('reconcile_seen');
  await knex.schema.dropTable('reconcile_runs');
}
