import type { SeededRandom } from './seeded-random';

/** Fields of a POST or PATCH /customers body, or of a Stripe create/update. */
export type CustomerInput = Partial<{
  name: string;
  email: string;
  phone: string | null;
  description: string | null;
  metadata: Record<string, string>;
}>;

export type OpKind = 'api-create' | 'api-update' | 'api-delete' | 'stripe-create' | 'stripe-update' | 'stripe-delete';

/** One operation of the load, at a planned time (ms from the start of the load). */
export interface PlannedOp {
  kind: OpKind;
  at: number;
  input?: CustomerInput;
}

/** A customer's operations, run one after another (never two at once for one customer). */
export interface PlannedCustomer {
  handle: string;
  origin: 'api' | 'stripe';
  ops: PlannedOp[];
}

export interface LoadPlanOptions {
  durationMs: number;
  apiCustomers: number;
  stripeCustomers: number;
  seed: number;
}

const PLANS = ['free', 'pro', 'team'] as const;

/** Every API write changes the name to a value never used before, so each write is recognisable in Stripe. */
function apiInput(random: SeededRandom, handle: string, version: number, seed: number, full: boolean): CustomerInput {
  const input: CustomerInput = { name: `API ${handle} v${version}` };
  const metadata: Record<string, string> = random.chance(0.25)
    ? { plan: random.pick(PLANS) }
    : { plan: random.pick(PLANS), rev: String(version) };
  if (full || random.chance(0.4)) input.email = `${handle}-v${version}-s${seed}@faults.example`;
  if (full || random.chance(0.4))
    input.phone = random.chance(0.2) && !full ? null : `+1555${String(random.int(0, 9_999_999)).padStart(7, '0')}`;
  if (full || random.chance(0.3)) input.description = random.chance(0.2) && !full ? null : `api ${handle} v${version}`;
  if (full || random.chance(0.5)) input.metadata = metadata;
  return input;
}

/**
 * A Stripe-side (dashboard) edit: a new name, sometimes a new email, phone, description or plan.
 * It only touches the metadata key `plan`, which every API write sets too, so Stripe's metadata
 * merge never keeps a key the API did not acknowledge.
 */
function stripeInput(
  random: SeededRandom,
  handle: string,
  version: number,
  seed: number,
  full: boolean,
): CustomerInput {
  const input: CustomerInput = { name: `Stripe ${handle} e${version}` };
  if (full || random.chance(0.3)) input.email = `${handle}-e${version}-s${seed}@stripe.faults.example`;
  if (full || random.chance(0.4)) input.phone = `+1666${String(random.int(0, 9_999_999)).padStart(7, '0')}`;
  if (full || random.chance(0.3)) input.description = `stripe ${handle} e${version}`;
  if (full || random.chance(0.4)) input.metadata = { plan: random.pick(PLANS) };
  return input;
}

function spread(random: SeededRandom, start: number, count: number, end: number): number[] {
  const times: number[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    at = Math.min(end, at + random.between(500, 9000));
    times.push(at);
  }
  return times;
}

function customerOps(
  random: SeededRandom,
  origin: 'api' | 'stripe',
  handle: string,
  options: LoadPlanOptions,
): PlannedOp[] {
  const { durationMs: d, seed } = options;
  const createdAt = random.between(0, d * 0.7);
  const middle: Array<'api-update' | 'stripe-update'> = [];
  const apiUpdates = origin === 'api' ? random.pick([0, 1, 1, 2, 2, 3]) : random.chance(0.4) ? 1 : 0;
  const stripeUpdates = origin === 'stripe' ? random.pick([0, 1, 1, 2]) : random.chance(0.35) ? random.int(1, 2) : 0;
  for (let i = 0; i < apiUpdates; i++) middle.push('api-update');
  for (let i = 0; i < stripeUpdates; i++) middle.splice(random.int(0, middle.length), 0, 'stripe-update');
  const ending: OpKind | undefined = random.chance(0.15)
    ? 'api-delete'
    : random.chance(0.12)
      ? 'stripe-delete'
      : undefined;
  const kinds: OpKind[] = [origin === 'api' ? 'api-create' : 'stripe-create', ...middle, ...(ending ? [ending] : [])];
  const times = [createdAt, ...spread(random, createdAt, kinds.length - 1, d * 0.9)];
  let apiVersion = 0;
  let stripeVersion = 0;
  return kinds.map((kind, i) => {
    const at = times[i]!;
    if (kind === 'api-create' || kind === 'api-update')
      return { kind, at, input: apiInput(random, handle, ++apiVersion, seed, kind === 'api-create') };
    if (kind === 'stripe-create' || kind === 'stripe-update')
      return { kind, at, input: stripeInput(random, handle, ++stripeVersion, seed, kind === 'stripe-create') };
    return { kind, at };
  });
}

/** The seeded load: API-created and Stripe-created customers, each with its own sequence of writes. */
export function planLoad(random: SeededRandom, options: LoadPlanOptions): PlannedCustomer[] {
  const customers: PlannedCustomer[] = [];
  for (let i = 0; i < options.apiCustomers; i++)
    customers.push({ handle: `a${i}`, origin: 'api', ops: customerOps(random, 'api', `a${i}`, options) });
  for (let i = 0; i < options.stripeCustomers; i++)
    customers.push({ handle: `s${i}`, origin: 'stripe', ops: customerOps(random, 'stripe', `s${i}`, options) });
  return customers;
}
