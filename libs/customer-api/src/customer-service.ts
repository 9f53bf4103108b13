import { createHash, randomUUID } from 'node:crypto';
import {
  LEGACY_LINK_METADATA_KEY,
  pendingKeysOf,
  type CreateCustomerRequest,
  type Customer,
  type CustomerFields,
  type CustomerHistory,
  type CustomerList,
  type HistoryQuery,
  type ListCustomersQuery,
  type UpdateCustomerRequest,
} from '@customer-sync/contracts';
import {
  addToOutbox,
  insertApiCustomersWithOutbox,
  insertApiCustomerWithOutbox,
  listCustomerHistory,
  listCustomers,
  updateApiCustomer,
  type ApiCustomerCreate,
} from '@customer-sync/customer-api-data';
import { findCustomer, toCustomer, toCustomerFields, type CustomerRow, type Db } from '@customer-sync/db';
import { ConflictError, NotFoundError, ValidationError } from '@customer-sync/service-core';
import {
  allChanges,
  commandTarget,
  customerRequestedEntry,
  diffChanges,
  isEmptyChange,
  queueDeletion,
} from './customer-commands';
import { createGroupCommit } from './group-commit';
import { isUniqueViolation, runIdempotentWrite, type WriteResult } from './idempotent-request';
import { decodeCursor, decodeHistoryCursor, encodeCursor, encodeHistoryCursor } from './page-cursor';
import { profileOfCreate, profilePatchOf } from './profile-patch';

export interface WriteContext {
  apiKey: string;
  idempotencyKey?: string;
  correlationId: string;
}

export interface CustomerServiceOptions {
  db: Db;
  /** Topic of customer.requested (with this deployment's suffix). */
  requestedTopic: string;
  /** Called after each committed write, so the outbox relay publishes at once. */
  onCommitted?: () => void;
  /** Group commit of creates without Idempotency-Key (see createGroupCommit); default: each alone. */
  createGroups?: { maxItems: number; maxInFlight: number };
}

const EMAIL_CONSTRAINT = 'customers_email_claim_uq';
// Memoised: only authenticated keys (the few in API_KEYS) get here, and every write asks.
const scopes = new Map<string, string>();
function scopeOf(apiKey: string): string {
  let scope = scopes.get(apiKey);
  if (!scope) scopes.set(apiKey, (scope = createHash('sha256').update(apiKey).digest('hex').slice(0, 32)));
  return scope;
}

function emailTaken(error: unknown): never {
  if (isUniqueViolation(error, EMAIL_CONSTRAINT))
    throw new ConflictError('email_taken', 'a live customer with this email already exists');
  throw error;
}

/**
 * Refuses `internal_id` equal to the customer's own id: that is the legacy link key, which the
 * inward read hides (so it could never be seen or removed). Any other value is user metadata.
 */
function refuseOwnLegacyLink(id: string, metadata: Record<string, string> | undefined): void {
  if (metadata?.[LEGACY_LINK_METADATA_KEY] !== id) return;
  const path = `body.metadata.${LEGACY_LINK_METADATA_KEY}`;
  throw new ValidationError([
    {
      path,
      message: `${LEGACY_LINK_METADATA_KEY} equal to the customer's own id is reserved (the legacy link to Stripe)`,
    },
  ]);
}

/**
 * PostgreSQL refused the statement because of what it wrote (data exception, integrity constraint)
 * or aborted it (serialization failure, deadlock — two groups can lock each other's emails): nothing
 * was committed, so each create of the group can be tried alone.
 */
const isStatementRefusal = (error: unknown) =>
  /^(22|23|40)[0-9A-Z]{3}$/.test(String((error as { code?: unknown }).code));

/** Creates without Idempotency-Key, coalesced: one INSERT and one commit for those that arrive together. */
function groupedCreates(
  db: Db,
  groups: { maxItems: number; maxInFlight: number },
): (create: ApiCustomerCreate) => Promise<CustomerRow> {
  return createGroupCommit<ApiCustomerCreate, CustomerRow>({
    writeMany: (creates) => insertApiCustomersWithOutbox(db, creates),
    writeOne: (c) => insertApiCustomerWithOutbox(db, c.id, c.fields, c.pendingKeys, c.entry),
    isRefusal: isStatementRefusal,
    ...groups,
  });
}

export type CustomerService = ReturnType<typeof createCustomerService>;

/** The customer use cases of the REST API; every write commits its row and its outbox entry together. */
export function createCustomerService({
  db,
  requestedTopic,
  onCommitted,
  createGroups = { maxItems: 1, maxInFlight: Number.MAX_SAFE_INTEGER },
}: CustomerServiceOptions) {
  const insertCreate = groupedCreates(db, createGroups);
  const write = async (
    ctx: WriteContext,
    request: unknown,
    fn: Parameters<typeof runIdempotentWrite>[2],
    options?: { singleStatement?: boolean },
  ) => {
    const result = await runIdempotentWrite(
      db,
      { scope: scopeOf(ctx.apiKey), key: ctx.idempotencyKey, request },
      fn,
      options,
    ).catch(emailTaken);
    onCommitted?.();
    return result;
  };

  return {
    async create(input: CreateCustomerRequest, ctx: WriteContext): Promise<WriteResult> {
      const fields: CustomerFields = {
        name: input.name,
        email: input.email,
        phone: input.phone ?? null,
        description: input.description ?? null,
        metadata: input.metadata ?? {},
        ...profileOfCreate(input),
      };
      const id = randomUUID();
      const changes = allChanges(fields);
      const entry = customerRequestedEntry(
        requestedTopic,
        'create',
        { id, version: 1, stripeCustomerId: null },
        changes,
        ctx.correlationId,
      );
      if (!ctx.idempotencyKey) {
        const row = await insertCreate({ id, fields, pendingKeys: pendingKeysOf(changes), entry }).catch(emailTaken);
        onCommitted?.();
        return { status: 202, body: toCustomer(row) };
      }
      return write(
        ctx,
        ['POST', input],
        async (q) => ({
          status: 202,
          body: toCustomer(await insertApiCustomerWithOutbox(q, id, fields, pendingKeysOf(changes), entry)),
        }),
        { singleStatement: true },
      );
    },

    async update(id: string, input: UpdateCustomerRequest, ctx: WriteContext): Promise<WriteResult> {
      refuseOwnLegacyLink(id, input.metadata);
      return write(ctx, ['PATCH', id, input], async (trx) => {
        const current = await findCustomer(trx, id, { forUpdate: true });
        if (!current || current.deleted_at) throw new NotFoundError('customer');
        const before = toCustomerFields(current);
        const { address, shipping, preferredLocales, taxExempt, ...core } = input;
        const profile = profilePatchOf(before, { address, shipping, preferredLocales, taxExempt });
        const next: CustomerFields = { ...before, ...core, ...profile, metadata: core.metadata ?? before.metadata };
        // After a failed sync, Stripe may lack any of our fields: the next write re-sends them all
        // (as a create when Stripe never got the customer).
        const resend = current.sync_status === 'failed';
        const changes = resend ? allChanges(next, before.metadata) : diffChanges(before, next);
        if (isEmptyChange(changes)) return { status: 202, body: toCustomer(current) };
        const row = await updateApiCustomer(trx, id, next, pendingKeysOf(changes), {
          claimEmail: 'email' in changes.fields,
        });
        const action = resend && !row.stripe_customer_id ? 'create' : 'update';
        const target =
          action === 'create' ? { id, version: row.version, stripeCustomerId: null } : await commandTarget(trx, row);
        await addToOutbox(trx, customerRequestedEntry(requestedTopic, action, target, changes, ctx.correlationId));
        return { status: 202, body: toCustomer(row) };
      });
    },

    async remove(id: string, ctx: WriteContext): Promise<WriteResult> {
      return write(ctx, ['DELETE', id], async (trx) => {
        const current = await findCustomer(trx, id, { forUpdate: true });
        if (!current || current.deleted_at) throw new NotFoundError('customer');
        const row = await queueDeletion(trx, requestedTopic, id, ctx.correlationId);
        return { status: 202, body: toCustomer(row) };
      });
    },

    async get(id: string): Promise<Customer> {
      const row = await findCustomer(db, id);
      if (!row) throw new NotFoundError('customer');
      return toCustomer(row);
    },

    /** A customer's history, oldest first (see listCustomerHistory); 404 for an unknown customer. */
    async history(id: string, query: HistoryQuery): Promise<CustomerHistory> {
      if (!(await findCustomer(db, id))) throw new NotFoundError('customer');
      const rows = await listCustomerHistory(db, id, {
        limit: query.limit + 1,
        after: query.cursor ? decodeHistoryCursor(query.cursor) : undefined,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        data: page,
        nextCursor: rows.length > query.limit && last ? encodeHistoryCursor({ at: last.at, id: last.id }) : null,
      };
    },

    async list(query: ListCustomersQuery): Promise<CustomerList> {
      const rows = await listCustomers(db, {
        limit: query.limit + 1,
        email: query.email,
        after: query.cursor ? decodeCursor(query.cursor) : undefined,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const hasMore = rows.length > query.limit;
      return {
        data: page.map(toCustomer),
        nextCursor: hasMore && last ? encodeCursor({ createdAt: last.created_at.toISOString(), id: last.id }) : null,
      };
    },
  };
}
