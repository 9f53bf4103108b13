import { z } from 'zod';
import { PROFILE_VALUE_FIELDS } from './profile-values';

/**
 * The synced customer fields other than metadata, with the schema of every value Stripe may hold
 * (Stripe's full range: any string, no length limit, so an inbound value is never refused). A field
 * has the same name in Stripe's API, in the `customers` table and in commands.
 *
 * Adding a synced field is adding it here (plus its column, its API input schema and its emulator
 * handling): commands, the inward merge, pending-write tracking and reconcile iterate this list.
 * Fields are written whole: a nested value (an address) is one field.
 */
export const PROFILE_FIELDS = {
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  description: z.string().nullable(),
  /** address, shipping, preferred_locales, tax_exempt: see profile-values.ts. */
  ...PROFILE_VALUE_FIELDS,
};
export const CustomerProfile = z.object(PROFILE_FIELDS);
export type CustomerProfile = z.infer<typeof CustomerProfile>;
export type ProfileField = keyof CustomerProfile;
export const PROFILE_FIELD_NAMES = Object.keys(PROFILE_FIELDS) as ProfileField[];

/**
 * The metadata key through which a Stripe customer names the row it was created for. Reserved: the
 * API refuses it in user metadata, and inward it never appears as user metadata.
 */
export const LINK_METADATA_KEY = 'customer_sync_id';
/**
 * The link key of versions before issue 9. Only when its value is the id of the row the Stripe
 * customer is linked to is it read as our link (and hidden); any other value is user metadata.
 */
export const LEGACY_LINK_METADATA_KEY = 'internal_id';

/**
 * Metadata keys and values as a command carries them: validated by the API when written, so here
 * only their shape is checked — and the object is kept as parsed, so a `__proto__` key survives.
 */
const CommandMetadata = z.custom<Record<string, string>>(
  (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'),
  { message: 'must be an object of string values' },
);

/** Metadata keys one write sets (with their values) and removes; every other key is left alone. */
export const MetadataChanges = z.object({
  set: CommandMetadata,
  unset: z.array(z.string()),
});
export type MetadataChanges = z.infer<typeof MetadataChanges>;

/**
 * What one API write changed: the profile fields it wrote (`null` clears) and the metadata keys it
 * set or removed. A create carries every field.
 */
export const CustomerChanges = z.object({
  fields: CustomerProfile.partial(),
  metadata: MetadataChanges,
});
export type CustomerChanges = z.infer<typeof CustomerChanges>;

/** The name under which a pending write of a field (or of one metadata key) is tracked. */
export const pendingKeyOf = {
  field: (field: ProfileField) => field as string,
  metadata: (key: string) => `metadata.${key}`,
};

/** The pending-write keys a change touches. */
export function pendingKeysOf(changes: CustomerChanges): string[] {
  return [
    ...Object.keys(changes.fields).map((f) => pendingKeyOf.field(f as ProfileField)),
    ...[...Object.keys(changes.metadata.set), ...changes.metadata.unset].map(pendingKeyOf.metadata),
  ];
}
