import type { Command } from 'commander';
import { HANDLED_EVENT_TYPES } from '@customer-sync/customer-writer';
import { registerWebhookEndpoint, STRIPE_API_VERSION } from '@customer-sync/stripe-client';
import type { CliContext } from '../cli-context';
import { ExitCode, UsageError } from '../output';
import type { Runner } from '../program';

function checkUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url "${raw}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError('--url must be http(s); Stripe requires https outside test mode');
  return url.toString();
}

/** `webhook register --url …`: the Stripe endpoint for webhook-ingress, with exactly the events we handle. */
export function registerWebhook(program: Command, run: Runner): void {
  const webhook = program.command('webhook').description('the Stripe webhook endpoint of this system');
  webhook
    .command('register')
    .description(
      `create (or find and correct) the endpoint for --url with exactly ${HANDLED_EVENT_TYPES.join(', ')} and API version ${STRIPE_API_VERSION}; prints a new endpoint's signing secret once`,
    )
    .requiredOption('--url <url>', "webhook-ingress's public address, e.g. https://sync.example.com/stripe/webhook")
    .option('--description <text>', 'shown in the Stripe dashboard', 'customer-sync webhook-ingress')
    .action(
      run(async (ctx: CliContext, options: { url: string; description: string }) => {
        const url = checkUrl(options.url);
        const endpoint = await registerWebhookEndpoint(ctx.stripe(), {
          url,
          events: HANDLED_EVENT_TYPES,
          description: options.description,
        });
        ctx.output.result(endpoint, (e) =>
          [
            `${e.action} ${e.id} → ${e.url}`,
            `  events: ${e.events.join(', ')}; API version: ${e.apiVersion}`,
            e.secret
              ? `  signing secret (shown this once; add it to STRIPE_WEBHOOK_SECRET): ${e.secret}`
              : '  signing secret: shown only when the endpoint was created (roll it in the Stripe dashboard if lost)',
          ].join('\n'),
        );
        return ExitCode.ok;
      }),
    );
}
