import type { Command } from 'commander';
import type { Customer } from '@customer-sync/contracts';
import { resyncCustomer } from '@customer-sync/customer-api';
import { pullCustomerFromStripe } from '@customer-sync/customer-writer';
import type { CliContext } from '../cli-context';
import { ExitCode, UsageError } from '../output';
import type { Runner } from '../program';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What is printed of a customer: no name, email or phone. */
const visible = (c: Customer) => ({
  id: c.id,
  stripeCustomerId: c.stripeCustomerId,
  syncStatus: c.syncStatus,
  deleted: c.deletedAt !== null,
});

/** `resync <customer-id>`: push one customer to Stripe again, or with `--from-stripe` pull it from there. */
export function registerResync(program: Command, run: Runner): void {
  program
    .command('resync <customer-id>')
    .description(
      'queue a full push of one customer to Stripe (through the outbox), or pull it from Stripe with --from-stripe',
    )
    .option('--from-stripe', 'make the row hold what Stripe holds now (Stripe wins)')
    .action(
      run(async (ctx: CliContext, id: string, options: { fromStripe?: boolean }) => {
        if (!UUID.test(id)) throw new UsageError(`"${id}" is not a customer id (a UUID)`);
        const customer = options.fromStripe
          ? await pullCustomerFromStripe({ db: ctx.db(), stripe: ctx.stripe() }, id)
          : await resyncCustomer(ctx.db(), ctx.topics().customerRequested, id);
        const result = { action: options.fromStripe ? 'pulled' : 'queued', customer: visible(customer) };
        ctx.output.result(result, (r) =>
          r.action === 'queued'
            ? `queued a full push of ${id} to Stripe (syncStatus: ${r.customer.syncStatus})`
            : `pulled ${id} from Stripe ${r.customer.stripeCustomerId}${r.customer.deleted ? ' (deleted there)' : ''}`,
        );
        return ExitCode.ok;
      }),
    );
}
