import Stripe from 'stripe';
import { STRIPE_API_VERSION } from './api-version';

describe('STRIPE_API_VERSION', () => {
  it('is the version the installed SDK is typed for, so an SDK upgrade forces a deliberate move', () => {
    expect(STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
  });
});
