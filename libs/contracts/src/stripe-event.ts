import { z } from 'zod';
import { envelopeOf } from './envelope';
import { STRIPE_PROFILE_OBJECT_FIELDS } from './profile-values';
import { InboundMetadata } from './stripe-field-schemas';

/**
 * The part of a Stripe customer object the system reads; other keys pass through untouched. Whatever
 * text Stripe holds is accepted (issue 9: Stripe's state is never refused inward); db-writer makes it
 * storable by the storableText rule. Metadata is any map of strings (none of Stripe's request limits:
 * key count, key and value lengths, `[ ]` in keys), keeping a `__proto__` key.
 */
export const StripeCustomerObject = z.looseObject({
  id: z.string().startsWith('cus_'),
  object: z.literal('customer'),
  deleted: z.literal(true).optional(),
  created: z.number().int().optional(),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  metadata: InboundMetadata.optional(),
  ...STRIPE_PROFILE_OBJECT_FIELDS,
});
export type StripeCustomerObject = z.infer<typeof StripeCustomerObject>;

/** A Stripe event as delivered to a webhook endpoint (any type; data.object kept as sent). */
/**
 * The longest id Stripe generates: "Make sure that your integration can handle Stripe-generated
 * object IDs, which can contain up to 255 characters" (https://stripe.com/docs/upgrades,
 * backwards-compatible changes). Ids are Kafka keys and database keys; a longer one is refused.
 */
export const STRIPE_ID_MAX_CHARS = 255;

const eventFields = {
  id: z.string().startsWith('evt_').max(STRIPE_ID_MAX_CHARS),
  object: z.literal('event'),
  type: z.string().min(1),
  created: z.number().int(),
  api_version: z.string().nullable().optional(),
  livemode: z.boolean(),
};
const objectFields = { id: z.string().max(STRIPE_ID_MAX_CHARS).optional(), object: z.string() };
const previousAttributes = z.record(z.string(), z.unknown()).optional();

export const StripeEvent = z.looseObject({
  ...eventFields,
  data: z.looseObject({ object: z.looseObject(objectFields), previous_attributes: previousAttributes }),
});
export type StripeEvent = z.infer<typeof StripeEvent>;

/**
 * The same rules as StripeEvent, keeping only what routing reads (ids, type, created, API version,
 * the object's owning customer): a hot path checks an event is one without copying the whole object.
 * An event this accepts is one StripeEvent accepts, and the other way round.
 */
export const StripeEventHead = z.object({
  ...eventFields,
  data: z.object({
    object: z.object({ ...objectFields, customer: z.unknown().optional() }),
    previous_attributes: previousAttributes,
  }),
});
export type StripeEventHead = z.infer<typeof StripeEventHead>;

/**
 * A StripeEvent checked by StripeEventHead's rules (the same decisions) whose value is the event as
 * it was parsed from JSON, not a copy: a consumer validates what it routes on without copying every
 * event's object, and parses the object itself where it reads it (e.g. StripeCustomerObject).
 */
export const StripeEventAsReceived = z.unknown().superRefine((value, ctx) => {
  const head = StripeEventHead.safeParse(value);
  if (!head.success)
    for (const issue of head.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
}) as unknown as z.ZodType<StripeEvent>;

export const StripeEventReceivedPayload = z.object({ event: StripeEventAsReceived });
export type StripeEventReceivedPayload = z.infer<typeof StripeEventReceivedPayload>;

/** What webhook-ingress publishes to stripe.events: the verified event, untouched, in our envelope. */
export const StripeEventReceived = envelopeOf('stripe.event-received', StripeEventReceivedPayload);
export type StripeEventReceived = z.infer<typeof StripeEventReceived>;

/** Kafka headers webhook-ingress sets, so consumers and operators can route without parsing. */
export const StripeEventHeaders = {
  eventId: 'stripe-event-id',
  eventType: 'stripe-event-type',
  created: 'stripe-event-created',
  apiVersion: 'stripe-api-version',
} as const;
