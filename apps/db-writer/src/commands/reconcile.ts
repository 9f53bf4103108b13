import { SingleBar, Presets } from 'cli-progress';
import { DbWriterEnv, loadConfig } from '@customer-sync/config';
import { reconcile, type ReconcileStats } from '@customer-sync/customer-writer';
import { createDb } from '@customer-sync/db';
import { createServiceLogger } from '@customer-sync/logger';
import { createStripeClient } from '@customer-sync/stripe-client';

/** `npm run reconcile`: repairs the database from Stripe; a progress bar on a terminal, log lines otherwise. */
async function main() {
  const config = loadConfig(DbWriterEnv);
  const logger = createServiceLogger('reconcile', config);
  const db = createDb({ url: config.DATABASE_URL });
  const stripe = createStripeClient({ secretKey: config.STRIPE_SECRET_KEY, apiUrl: config.STRIPE_API_URL, maxNetworkRetries: 3 });
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'reconcile {bar} {value} customers | +{inserted} ~{updated} ={unchanged}' }, Presets.shades_classic) : undefined;
  bar?.start(0, 0, { inserted: 0, updated: 0, unchanged: 0 });
  const onProgress = (s: ReconcileStats) => {
    if (bar) {
      bar.setTotal(s.scanned + 100);
      bar.update(s.scanned, { ...s });
    } else logger.info('reconcile progress', { ...s });
  };
  try {
    const stats = await reconcile({ db, stripe, logger, onProgress });
    bar?.setTotal(stats.scanned);
    bar?.stop();
    console.log(`reconcile: scanned ${stats.scanned}, inserted ${stats.inserted}, updated ${stats.updated}, marked deleted ${stats.deleted}, unchanged ${stats.unchanged}`);
  } finally {
    bar?.stop();
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(`reconcile failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
