// Comparison servers for the ingress benchmark: the same work (raw body, signature check with the
// SDK, JSON parse) on plain node:http and on Express 5 with express.raw, without Kafka.
import { createServer } from 'node:http';
import express from 'express';
import Stripe from 'stripe';

const [variant, port, secret] = process.argv.slice(2) as [string, string, string];
const verify = (body: Buffer, header: string | undefined) => Stripe.webhooks.constructEvent(body, header ?? '', secret);

if (variant === 'node-http') {
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        verify(Buffer.concat(chunks), req.headers['stripe-signature'] as string);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      } catch {
        res.writeHead(400).end();
      }
    });
  }).listen(Number(port), '127.0.0.1');
} else {
  const app = express();
  app.post('/stripe/webhook', express.raw({ type: '*/*', limit: '1mb' }), (req, res) => {
    try {
      verify(req.body as Buffer, req.header('stripe-signature'));
      res.json({ received: true });
    } catch {
      res.status(400).end();
    }
  });
  app.listen(Number(port), '127.0.0.1');
}
