import type { Knex } from 'knex';

/**
 * Issue 9: field-level merge, a link that cannot be hijacked, Stripe's state never refused.
 * - `pending_fields`: per field (or `metadata.<key>`) the version of the newest API write not yet
 *   answered by the worker; rows pending at migration time count every field as pending, as the
 *   whole-record command they wait for writes every field.
 * - `email_claim`: lower-cased email the API set, unique among live rows; inbound values never
 *   touch the index (a different inbound email only releases the claim), so Stripe's state always applies.
 * - `refetch_on_settle`, `duplicate_of`, `inbound_error`, `stripe_deleted_at`: see docs/sync-rules.md.
 * - `processed_events` learns the customer, the event type and a detail, for GET /customers/:id/history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.jsonb('pending_fields').notNullable().defaultTo('{}');
    t.boolean('refetch_on_settle').notNullable().defaultTo(false);
    t.text('email_claim');
    t.uuid('duplicate_of');
    t.text('inbound_error');
    t.timestamp('stripe_deleted_at', { useTz: true, precision: 3 });
  });
  await knex.raw(`
    UPDATE customers SET pending_fields = (
      SELECT jsonb_object_agg(k, version) FROM unnest(ARRAY['name','email','phone','description']) AS k
    ) || coalesce((SELECT jsonb_object_agg('metadata.' || m, version) FROM jsonb_object_keys(metadata) AS m), '{}')
    WHERE sync_status = 'pending'`);
  await knex.raw(
    `UPDATE customers SET email_claim = lower(email) WHERE origin = 'api' AND email IS NOT NULL AND deleted_at IS NULL`,
  );
  await knex.raw(`DROP INDEX customers_live_api_email_uq`);
  await knex.raw(`CREATE UNIQUE INDEX customers_email_claim_uq ON customers (email_claim) WHERE deleted_at IS NULL`);
  await knex.raw(`DROP INDEX customers_email_idx`);
  await knex.raw(`CREATE INDEX customers_email_lower_idx ON customers (lower(email))`);

  await knex.schema.alterTable('processed_events', (t) => {
    t.uuid('customer_id');
    t.text('event_type');
    t.jsonb('detail');
    t.index(['customer_id', 'processed_at'], 'processed_events_customer_idx');
  });
  await knex.raw(`CREATE INDEX outbox_message_key_idx ON outbox (message_key, created_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX outbox_message_key_idx`);
  await knex.schema.alterTable('processed_events', (t) => {
    t.dropIndex(['customer_id', 'processed_at'], 'processed_events_customer_idx');
    t.dropColumns('customer_id', 'event_type', 'detail');
  });
  await knex.raw(`DROP INDEX customers_email_lower_idx`);
  await knex.raw(`CREATE INDEX customers_email_idx ON customers (email)`);
  await knex.raw(`DROP INDEX customers_email_claim_uq`);
  await knex.raw(
    `CREATE UNIQUE INDEX customers_live_api_email_uq ON customers (email) WHERE deleted_at IS NULL AND origin = 'api'`,
  );
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumns(
      'pending_fields',
      'refetch_on_settle',
      'email_claim',
      'duplicate_of',
      'inbound_error',
      'stripe_deleted_at',
    );
  });
}
