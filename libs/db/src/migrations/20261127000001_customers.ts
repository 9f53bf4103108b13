import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (t) => {
    t.uuid('id').primary();
    t.text('name');
    t.text('email');
    t.text('phone');
    t.text('description');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.text('stripe_customer_id').unique();
    t.text('sync_status').notNullable().defaultTo('pending');
    t.text('sync_error');
    t.text('origin').notNullable();
    // Bumped by every API write; sync results carry it so an older result never overrides a newer request.
    t.integer('version').notNullable().defaultTo(1);
    // `created` and id of the newest Stripe event applied; older events never overwrite newer state.
    t.bigInteger('stripe_event_created');
    t.text('stripe_event_id');
    // Millisecond precision keeps keyset cursors exact after a round trip through JavaScript dates.
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true, precision: 3 });
    t.index(['created_at', 'id'], 'customers_created_at_id_idx');
  });
  await knex.raw(
    `ALTER TABLE customers ADD CONSTRAINT customers_sync_status_check CHECK (sync_status IN ('pending','synced','failed'))`,
  );
  await knex.raw(`ALTER TABLE customers ADD CONSTRAINT customers_origin_check CHECK (origin IN ('api','stripe'))`);
  // Stripe allows duplicate emails, so uniqueness binds only live customers created through our API.
  await knex.raw(
    `CREATE UNIQUE INDEX customers_live_api_email_uq ON customers (email) WHERE deleted_at IS NULL AND origin = 'api'`,
  );
  await knex.raw(`CREATE INDEX customers_email_idx ON customers (email)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customers');
}
