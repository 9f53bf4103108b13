import type { Knex } from 'knex';

/**
 * Issue 9, the whole customer profile: `address`, `shipping`, `preferred_locales` and `tax_exempt`,
 * named and shaped as in Stripe's customer object (jsonb holds Stripe's hashes as they are). No
 * CHECK on `tax_exempt`: whatever Stripe holds must be storable. Existing rows get Stripe's profile
 * of a new customer (no address, no shipping, no locales, `none`), which is what Stripe holds for
 * customers the sync created before, as it never wrote these fields. Customers edited in Stripe
 * meanwhile get their real profile from the next event or from `npm run reconcile` (README).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.jsonb('address');
    t.jsonb('shipping');
    t.jsonb('preferred_locales').notNullable().defaultTo('[]');
    t.text('tax_exempt').defaultTo('none');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumns('address', 'shipping', 'preferred_locales', 'tax_exempt');
  });
}
