// Drain baseline: the final rows of a drain written as one multi-row INSERT … ON CONFLICT stream
// over one connection (customers, then the processed event ids), 1,000 rows per statement.
import pg from 'pg';
import type { FinalRow } from '../kit/customer-events';

const CUSTOMERS = `
  INSERT INTO customers (id, stripe_customer_id, name, email, metadata, origin, sync_status, stripe_event_created, stripe_event_id, deleted_at)
  SELECT gen_random_uuid(), s, n, e, '{}'::jsonb, 'stripe', 'synced', c, i, CASE WHEN d THEN now() END
  FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bool[]) AS t(s, n, e, c, i, d)
  ON CONFLICT (stripe_customer_id) DO UPDATE SET name = excluded.name, email = excluded.email,
    stripe_event_created = excluded.stripe_event_created, stripe_event_id = excluded.stripe_event_id,
    deleted_at = excluded.deleted_at, updated_at = now()
  WHERE customers.stripe_event_created IS NULL OR customers.stripe_event_created < excluded.stripe_event_created`;

const PROCESSED = `
  INSERT INTO processed_events (event_id, source, outcome)
  SELECT i, 'stripe', 'applied' FROM unnest($1::text[]) AS t(i) ON CONFLICT (event_id) DO NOTHING`;

const chunks = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Writes the rows and event ids; returns when the last statement has committed. */
export async function writeRowStream(url: string, rows: FinalRow[], eventIds: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const part of chunks(rows, 1000)) {
      const objects = part.map((r) => r.event.data.object as { id: string; name?: string; email?: string });
      await client.query(CUSTOMERS, [
        objects.map((o) => o.id),
        objects.map((o) => o.name ?? null),
        objects.map((o) => o.email ?? null),
        part.map((r) => r.event.created),
        part.map((r) => r.event.id),
        part.map((r) => r.deleted),
      ]);
    }
    for (const part of chunks(eventIds, 1000)) await client.query(PROCESSED, [part]);
  } finally {
    await client.end();
  }
}
