// Ingress baseline: plain node:http doing the ingress's work short of Kafka (read the body, verify
// the signature with the Stripe SDK, parse), answering 200 at once.
import { createServer } from 'node:http';
import Stripe from 'stripe';
import { z } from 'zod';
import { loadConfig } from '@customer-sync/config';

const config = loadConfig(z.object({ PORT: z.coerce.number().int(), STRIPE_WEBHOOK_SECRET: z.string() }));

createServer((req, res) => {
  if (req.method !== 'POST') return void res.writeHead(200).end();
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      Stripe.webhooks.constructEvent(
        Buffer.concat(chunks),
        String(req.headers['stripe-signature']),
        config.STRIPE_WEBHOOK_SECRET,
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    } catch {
      res.writeHead(400).end();
    }
  });
}).listen(config.PORT, '127.0.0.1');
