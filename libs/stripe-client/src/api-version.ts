/**
 * The Stripe API version the system is written against: sent by the SDK on every call and set on
 * the webhook endpoint, so events arrive in the shape the code reads. It is the version the
 * installed `stripe` package is typed for; upgrading the package means reviewing and moving this.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;
