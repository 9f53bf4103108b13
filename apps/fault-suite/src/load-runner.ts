import type { ApiDriver, ApiOutcome } from './api-driver';
import { valuesOf } from './customer-values';
import type { Ledger, TrackedCustomer } from './ledger';
import type { PlannedCustomer, PlannedOp } from './load-plan';
import type { StripeDriver } from './stripe-driver';
import type { Stripe } from '@customer-sync/stripe-client';

export interface LoadContext {
  api: ApiDriver;
  stripe: StripeDriver;
  ledger: Ledger;
  seed: number;
  /** ms since the load started. */
  clock: () => number;
  /** How long one operation may keep retrying before its outcome counts as unknown. */
  opDeadlineMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a lookup until it returns a value or `ms` pass. */
async function within<T>(ms: number, lookup: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await lookup();
    if (value !== undefined || Date.now() > deadline) return value;
    await sleep(500);
  }
}

function recordApi(
  ctx: LoadContext,
  c: TrackedCustomer,
  op: string,
  outcome: ApiOutcome,
  expected: number[],
): outcome is ApiOutcome & { answered: true } {
  if (!outcome.answered) {
    ctx.ledger.count(op, 'no answer');
    ctx.ledger.anomaly(
      ctx.clock(),
      c.handle,
      `${op} got no answer after ${outcome.attempts} attempts (${outcome.lastError})`,
    );
    c.ambiguous = true;
    return false;
  }
  ctx.ledger.count(op, outcome.status);
  if (!expected.includes(outcome.status))
    ctx.ledger.anomaly(
      ctx.clock(),
      c.handle,
      `${op} answered ${outcome.status}: ${JSON.stringify(outcome.body).slice(0, 200)}`,
    );
  return true;
}

/** Our row id of a customer: known for API-created ones, found by email (GET /customers?email=) for Stripe-created ones. */
async function rowIdOf(ctx: LoadContext, c: TrackedCustomer): Promise<string | undefined> {
  if (c.rowId) return c.rowId;
  const email = c.stripeWrites.at(-1)?.values.email;
  if (!email) return undefined;
  c.rowId = await within(15_000, async () => {
    const found = await ctx.api.findByEmail(email, 5000);
    const list = found.answered
      ? (found.body as unknown as { data?: Array<{ id: string; stripeCustomerId: string | null }> }).data
      : undefined;
    return list?.find((row) => row.stripeCustomerId === c.stripeId)?.id;
  });
  return c.rowId;
}

/** The Stripe id of a customer: known for Stripe-created ones, read from GET /customers/:id once linked for ours. */
async function stripeIdOf(ctx: LoadContext, c: TrackedCustomer): Promise<string | undefined> {
  if (c.stripeId || !c.rowId) return c.stripeId;
  c.stripeId = await within(15_000, async () => {
    const got = await ctx.api.get(c.rowId!, 5000);
    return (got.answered && got.body.stripeCustomerId) || undefined;
  });
  return c.stripeId;
}

async function runOp(ctx: LoadContext, c: TrackedCustomer, op: PlannedOp, key: string): Promise<void> {
  const { api, stripe, ledger, opDeadlineMs: deadline } = ctx;
  switch (op.kind) {
    case 'api-create': {
      const outcome = await api.create(op.input, key, deadline);
      if (recordApi(ctx, c, op.kind, outcome, [202]) && outcome.status === 202) {
        c.rowId = outcome.body.id;
        c.apiWrites.push({ kind: 'create', ackAt: ctx.clock(), values: valuesOf(outcome.body), input: op.input });
      }
      return;
    }
    case 'api-update':
    case 'api-delete': {
      const rowId = await rowIdOf(ctx, c);
      if (!rowId) return void ledger.count(op.kind, 'skipped: row not found by email');
      const outcome =
        op.kind === 'api-update'
          ? await api.update(rowId, op.input, key, deadline)
          : await api.remove(rowId, key, deadline);
      if (!recordApi(ctx, c, op.kind, outcome, [202]) || outcome.status !== 202) return;
      if (op.kind === 'api-delete') c.deletion = { side: 'api', ackAt: ctx.clock() };
      else c.apiWrites.push({ kind: 'update', ackAt: ctx.clock(), values: valuesOf(outcome.body), input: op.input });
      return;
    }
    case 'stripe-create': {
      const outcome = await stripe.create(op.input!, key, deadline);
      ledger.count(op.kind, outcome.ok ? 'ok' : 'failed');
      if (!outcome.ok) {
        c.ambiguous = true;
        return void ledger.anomaly(ctx.clock(), c.handle, `stripe create failed: ${outcome.error}`);
      }
      c.stripeId = outcome.value.id;
      c.stripeWrites.push({
        kind: 'create',
        ackAt: ctx.clock(),
        idempotencyKey: key,
        values: valuesOf(outcome.value),
        input: op.input,
      });
      return;
    }
    case 'stripe-update':
    case 'stripe-delete': {
      const stripeId = await stripeIdOf(ctx, c);
      if (!stripeId) return void ledger.count(op.kind, 'skipped: not linked to Stripe within 15 s');
      const outcome =
        op.kind === 'stripe-update'
          ? await stripe.update(stripeId, op.input!, key, deadline)
          : await stripe.remove(stripeId, key, deadline);
      ledger.count(op.kind, outcome.ok ? 'ok' : outcome.missing ? 'missing' : 'failed');
      if (!outcome.ok) {
        // Failed after retries: whether Stripe acted is unknown, so this customer's values cannot be asserted.
        if (!outcome.missing) c.ambiguous = true;
        return void ledger.anomaly(ctx.clock(), c.handle, `${op.kind} of ${stripeId} failed: ${outcome.error}`);
      }
      if (op.kind === 'stripe-delete') c.deletion = { side: 'stripe', ackAt: ctx.clock() };
      else
        c.stripeWrites.push({
          kind: 'update',
          ackAt: ctx.clock(),
          idempotencyKey: key,
          values: valuesOf(outcome.value as Stripe.Customer),
          input: op.input,
        });
    }
  }
}

/**
 * Runs one customer's planned operations one after another, each not before its planned time.
 * The chain ends after a deletion, or when the create was not acknowledged.
 */
async function runCustomer(ctx: LoadContext, planned: PlannedCustomer): Promise<void> {
  const c = ctx.ledger.track(planned.handle, planned.origin);
  for (const [i, op] of planned.ops.entries()) {
    const wait = op.at - ctx.clock();
    if (wait > 0) await sleep(wait);
    if (c.deletion || c.ambiguous || (i > 0 && !c.rowId && !c.stripeId)) return;
    await runOp(ctx, c, op, `fault-suite:${ctx.seed}:${planned.handle}:${i}`);
  }
}

/** Runs the whole load: every customer's chain concurrently. */
export async function runLoad(ctx: LoadContext, plan: PlannedCustomer[]): Promise<void> {
  await Promise.all(plan.map((planned) => runCustomer(ctx, planned)));
}
