import type { Knex } from 'knex';

/**
 * Issue 9: `api_deleted_at`, when the API deleted the row. The re-link to our own create undoes a
 * deletion a claimant caused but never the user's; it used to find the user's deletion in the
 * outbox, which retention prunes. Existing rows: a deletion the API made is one whose time differs
 * from Stripe's deletion (both are set in one statement when Stripe deleted first), or one with a
 * delete command still in the outbox.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.timestamp('api_deleted_at', { useTz: true, precision: 3 });
  });
  await knex.raw(`
    UPDATE customers c SET api_deleted_at = c.deleted_at
    WHERE c.deleted_at IS NOT NULL AND c.origin = 'api' AND (
      c.stripe_deleted_at IS NULL OR c.stripe_deleted_at <> c.deleted_at
      OR EXISTS (SELECT 1 FROM outbox o WHERE o.message_key = c.id::text AND o.message->'payload'->>'action' = 'delete'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumn('api_deleted_at');
  });
}
