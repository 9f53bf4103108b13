import { makeEnvelope, type CustomerRequestedPayload, type ProfileValues } from '@customer-sync/contracts';
import { waitFor } from '@customer-sync/testing';
import { syncResultsOf, useRunningWorker } from './worker-test-setup';

const bed = useRunningWorker({ clientId: 'profile-worker-test' });
const stripe = bed.stripe;

const paris = {
  city: 'Paris',
  country: 'FR',
  line1: '1 Rue de Rivoli',
  line2: null,
  postal_code: '75001',
  state: null,
};
/** The same address as an SDK parameter (no nulls). */
const parisParam = { city: 'Paris', country: 'FR', line1: '1 Rue de Rivoli', postal_code: '75001' };

/** A command writing `profile` (plus a name and email on create) to the customer's Stripe customer. */
function profileCommand(
  customerId: string,
  profile: Partial<ProfileValues>,
  target?: { stripeCustomerId: string; version: number },
) {
  const payload = {
    action: target ? 'update' : 'create',
    customerId,
    version: target?.version ?? 1,
    stripeCustomerId: target?.stripeCustomerId ?? null,
    changes: {
      fields: { ...(!target && { name: 'Jenny Rosen', email: 'jenny@example.com' }), ...profile },
      metadata: { set: {}, unset: [] },
    },
  } satisfies CustomerRequestedPayload;
  return makeEnvelope('customer.requested', payload, { correlationId: 'profile-test' });
}

async function run(command: ReturnType<typeof profileCommand>) {
  await bed.send(command);
  return waitFor(() => syncResultsOf(bed.results.messages).find((r) => r.requestId === command.id), {
    what: `result of ${command.id}`,
    timeoutMs: 30_000,
  });
}

describe('the customer profile, customer.requested → Stripe', () => {
  it('creates the Stripe customer with address, shipping, preferred locales and tax exemption', async () => {
    const result = await run(
      profileCommand(crypto.randomUUID(), {
        address: paris,
        shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: paris },
        preferred_locales: ['fr-FR', 'en'],
        tax_exempt: 'exempt',
      }),
    );
    expect(result.outcome).toBe('synced');
    expect(await stripe().customers.retrieve(result.stripeCustomerId!)).toMatchObject({
      address: paris,
      shipping: { name: 'Jenny Rosen', phone: '+33123456789', address: paris },
      preferred_locales: ['fr-FR', 'en'],
      tax_exempt: 'exempt',
    });
  });

  it('writes a whole address over Stripe’s, clearing parts the command holds as null', async () => {
    const real = await stripe().customers.create({ address: { ...parisParam, line2: 'Apt 4', state: 'IDF' } });
    const result = await run(
      profileCommand(
        crypto.randomUUID(),
        { address: { ...paris, city: 'Lyon' } },
        { stripeCustomerId: real.id, version: 2 },
      ),
    );
    expect(result.outcome).toBe('synced');
    expect(((await stripe().customers.retrieve(real.id)) as { address: unknown }).address).toEqual({
      ...paris,
      city: 'Lyon',
    });
  });

  it('removes address and shipping, empties the locales and resets the tax exemption', async () => {
    const real = await stripe().customers.create({
      address: parisParam,
      shipping: { name: 'J', address: parisParam },
      preferred_locales: ['fr'],
      tax_exempt: 'reverse',
    });
    const result = await run(
      profileCommand(
        crypto.randomUUID(),
        { address: null, shipping: null, preferred_locales: [], tax_exempt: 'none' },
        { stripeCustomerId: real.id, version: 2 },
      ),
    );
    expect(result.outcome).toBe('synced');
    expect(await stripe().customers.retrieve(real.id)).toMatchObject({
      address: null,
      shipping: null,
      preferred_locales: [],
      tax_exempt: 'none',
    });
  });

  it('leaves Stripe’s profile alone when the command does not carry it', async () => {
    const real = await stripe().customers.create({ address: parisParam, preferred_locales: ['de'] });
    const result = await run(profileCommand(crypto.randomUUID(), {}, { stripeCustomerId: real.id, version: 2 }));
    expect(result.outcome).toBe('synced');
    expect(await stripe().customers.retrieve(real.id)).toMatchObject({ address: paris, preferred_locales: ['de'] });
  });
});
