// The peer of webhook-to-row: a single-process webhook-to-PostgreSQL sync as commonly built
// (verify, then one upsert per request, newer event wins; no broker), answering after the commit.
import { createServer } from 'node:http';
import pg from 'pg';
import Stripe from 'stripe';
import { z } from 'zod';
import { loadConfig } from '@customer-sync/config';

const config = loadConfig(
  z.object({ PORT: z.coerce.number().int(), DATABASE_URL: z.string(), STRIPE_WEBHOOK_SECRET: z.string() }),
);
const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 10 });

const UPSERT = `
  INSERT INTO customers (id, stripe_customer_id, name, email, phone, description, metadata, origin, sync_status, stripe_event_created, stripe_event_id)
  VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, 'stripe', 'synced', $7, $8)
  ON CONFLICT (stripe_customer_id) DO UPDATE SET
    name = excluded.name, email = excluded.email, phone = excluded.phone, description = excluded.description,
    metadata = excluded.metadata, stripe_event_created = excluded.stripe_event_created,
    stripe_event_id = excluded.stripe_event_id, updated_at = now()
  WHERE customers.stripe_event_created IS NULL OR customers.stripe_event_created < excluded.stripe_event_created`;

interface CustomerEvent {
  id: string;
  created: number;
  data: {
    object: {
      id: string;
      name: string | null;
      email: string | null;
      phone: string | null;
      description: string | null;
      metadata: object;
    };
  };
}

async function upsert(event: CustomerEvent): Promise<void> {
  const c = event.data.object;
  await pool.query(UPSERT, [
    c.id,
    c.name,
    c.email?.toLowerCase() ?? null,
    c.phone,
    c.description,
    JSON.stringify(c.metadata ?? {}),
    event.created,
    event.id,
  ]);
}

createServer((req, res) => {
  if (req.method !== 'POST') return void res.writeHead(200).end();
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let event: CustomerEvent;
    try {
      event = Stripe.webhooks.constructEvent(
        Buffer.concat(chunks),
        String(req.headers['stripe-signature']),
        config.STRIPE_WEBHOOK_SECRET,
      ) as unknown as CustomerEvent;
    } catch {
      return void res.writeHead(400).end();
    }
    upsert(event).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'),
      () => res.writeHead(500).end(),
    );
  });
}).listen(config.PORT, '127.0.0.1');
