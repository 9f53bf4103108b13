import type { CustomerRow } from '@customer-sync/db';
import { valueDiff, valuesOf } from './customer-values';
import { expectationDiff, expectedValues } from './expected-values';
import type { Ledger, TrackedCustomer } from './ledger';
import type { OversizedOutcome } from './oversized-webhook';
import type { FleetEvent } from './service-fleet';
import type { LiveStripeCustomer, SystemState } from './state-reader';

/** One invariant's verdict: every violation names the customer (handle, row id, Stripe id) and the values. */
export interface InvariantResult {
  id: string;
  title: string;
  checked: number;
  violations: string[];
  /** Non-synced rows with a real reason, listed but not counted as violations. */
  explained: string[];
  /** Whether waiting can still change the verdict (convergence is measured on these). */
  settles: boolean;
}

export interface CheckInput {
  ledger: Ledger;
  state: SystemState;
  poisonKey: string;
  oversized?: OversizedOutcome[];
  fleetEvents: FleetEvent[];
}

const writerOf = (key: string | null) =>
  key?.startsWith('customer-sync:') ? 'worker' : key?.startsWith('fault-suite:') ? 'load' : 'unknown';

/** Lookups over one state, so each check reads like its sentence. */
function indexOf(input: CheckInput) {
  const { ledger, state } = input;
  const tracked = [...ledger.customers.values()];
  const handleOfRow = new Map(tracked.filter((c) => c.rowId).map((c) => [c.rowId!, c]));
  const handleOfStripe = new Map(tracked.filter((c) => c.stripeId).map((c) => [c.stripeId!, c]));
  const owner = (rowId?: string | null, stripeId?: string | null): TrackedCustomer | undefined =>
    (rowId ? handleOfRow.get(rowId) : undefined) ?? (stripeId ? handleOfStripe.get(stripeId) : undefined);
  return {
    tracked,
    owner,
    rowsOf: (c: TrackedCustomer) =>
      state.rows.filter((r) => (c.rowId && r.id === c.rowId) || (c.stripeId && r.stripe_customer_id === c.stripeId)),
    liveStripeOf: (c: TrackedCustomer) =>
      state.liveStripe.filter((s) => (c.rowId && s.internalId === c.rowId) || (c.stripeId && s.id === c.stripeId)),
    logOf: (stripeId: string) => state.stripeLog.filter((e) => e.stripeId === stripeId),
    /** The customer's last Stripe events: who wrote each and what db-writer did with it. */
    trail: (stripeId: string) =>
      'events: ' +
      state.stripeLog
        .filter((e) => e.stripeId === stripeId)
        .slice(-5)
        .map(
          (e) =>
            `${e.eventId} ${e.type.slice(9)} by ${writerOf(e.idempotencyKey)} name ${JSON.stringify(e.values.name)} → ${state.eventOutcomes.get(e.eventId) ?? 'not processed'}`,
        )
        .join(', '),
    label: (rowId?: string | null, stripeId?: string | null) => {
      const c = owner(rowId, stripeId);
      return `${c ? c.handle : 'untracked'} row ${rowId ?? c?.rowId ?? '-'} stripe ${stripeId ?? c?.stripeId ?? '-'}`;
    },
  };
}

type Index = ReturnType<typeof indexOf>;
const rowSummary = (r: CustomerRow) =>
  `${r.sync_status}${r.sync_error ? ` (${r.sync_error})` : ''}${r.deleted_at ? ', deleted' : ''}, linked to ${r.stripe_customer_id ?? 'nothing'}`;
const result = (
  id: string,
  title: string,
  checked: number,
  violations: string[],
  settles = true,
  explained: string[] = [],
): InvariantResult => ({ id, title, checked, violations, explained, settles });

function apiToStripe(ix: Index): InvariantResult {
  const violations: string[] = [];
  const subjects = ix.tracked.filter(
    (c) => !c.deletion && !c.ambiguous && (c.apiWrites.length > 0 || c.stripeWrites.length > 0),
  );
  for (const c of subjects) {
    const live = ix.liveStripeOf(c);
    const rows = ix.rowsOf(c);
    const where = ix.label(c.rowId, c.stripeId ?? live[0]?.id);
    if (live.length !== 1) {
      const trail = c.stripeId ? `; ${ix.trail(c.stripeId)}` : '';
      violations.push(
        `${where}: ${live.length} live Stripe customers${live.length ? ` (${live.map((s) => s.id).join(', ')})` : ''}; row: ${rows.map(rowSummary).join(' | ') || 'none'}${trail}`,
      );
      continue;
    }
    const expectation = expectedValues(c, ix.logOf(live[0]!.id));
    if (!expectation) continue;
    const diffs = expectationDiff(expectation, live[0]!.values, ['acknowledged', 'Stripe']);
    if (diffs.length || expectation.problems.length) {
      violations.push(
        `${where}: ${[...diffs, ...expectation.problems].join('; ')} [expected ${expectation.because}; ${ix.trail(live[0]!.id)}]`,
      );
    }
  }
  return result(
    'I1',
    'every acknowledged, undeleted customer has exactly one live Stripe customer with the last acknowledged values',
    subjects.length,
    violations,
  );
}

function stripeToRows(ix: Index, input: CheckInput): InvariantResult {
  const violations: string[] = [];
  const { rows, liveStripe } = input.state;
  const liveIds = new Set(liveStripe.map((s) => s.id));
  const check = (s: LiveStripeCustomer) => {
    const live = rows.filter((r) => r.stripe_customer_id === s.id && !r.deleted_at);
    if (live.length !== 1) {
      const other = rows.filter((r) => r.stripe_customer_id === s.id || r.id === s.internalId);
      return void violations.push(
        `${ix.label(s.internalId, s.id)}: ${live.length} live rows${other.length ? `; rows: ${other.map((r) => `${r.id} ${rowSummary(r)}`).join(' | ')}` : ''}; Stripe has name ${JSON.stringify(s.values.name)}`,
      );
    }
    const row = live[0]!;
    const diffs = valueDiff(s.values, valuesOf(row), ['Stripe', 'row']);
    if (s.internalId && row.id !== s.internalId)
      diffs.push(`linked to row ${row.id} but its metadata.customer_sync_id is ${s.internalId}`);
    if (diffs.length)
      violations.push(`${ix.label(row.id, s.id)}: ${diffs.join('; ')} (row ${rowSummary(row)}; ${ix.trail(s.id)})`);
  };
  liveStripe.forEach(check);
  for (const row of rows.filter((r) => !r.deleted_at && !(r.stripe_customer_id && liveIds.has(r.stripe_customer_id)))) {
    const c = ix.owner(row.id, row.stripe_customer_id);
    if (c && !c.deletion) continue; // reported by I1, which knows what it should hold
    violations.push(
      `${ix.label(row.id, row.stripe_customer_id)}: live row without a live Stripe customer (${rowSummary(row)}, name ${JSON.stringify(row.name)})`,
    );
  }
  return result(
    'I2',
    'every live Stripe customer has exactly one live row with equal fields (and no live row lacks one)',
    liveStripe.length,
    violations,
  );
}

function deletions(ix: Index): InvariantResult {
  const violations: string[] = [];
  const deleted = ix.tracked.filter((c) => c.deletion);
  for (const c of deleted) {
    const how = `deleted on the ${c.deletion!.side} side at t=${(c.deletion!.ackAt / 1000).toFixed(1)}s`;
    for (const row of ix.rowsOf(c).filter((r) => !r.deleted_at))
      violations.push(`${ix.label(row.id, row.stripe_customer_id)}: ${how} but the row is live (${rowSummary(row)})`);
    for (const s of ix.liveStripeOf(c))
      violations.push(
        `${ix.label(c.rowId, s.id)}: ${how} but Stripe customer ${s.id} is live (name ${JSON.stringify(s.values.name)}; ${ix.trail(s.id)})`,
      );
  }
  return result(
    'I3',
    'deletions on both sides: a customer deleted through the API or in Stripe has no live row and no live Stripe customer',
    deleted.length,
    violations,
  );
}

function syncStatuses(ix: Index, input: CheckInput): InvariantResult {
  const violations: string[] = [];
  const explained: string[] = [];
  for (const row of input.state.rows.filter((r) => r.sync_status !== 'synced')) {
    const c = ix.owner(row.id, row.stripe_customer_id);
    const line = `${ix.label(row.id, row.stripe_customer_id)}: ${rowSummary(row)}, origin ${row.origin}`;
    // An API write acknowledged before a Stripe-side deletion reached us can never be applied: a real reason.
    const realReason =
      row.deleted_at && c?.deletion?.side === 'stripe' && /missing|no such customer/i.test(row.sync_error ?? '');
    (realReason ? explained : violations).push(line);
  }
  return result(
    'I4',
    'no row left pending or failed without a real reason',
    input.state.rows.length,
    violations,
    true,
    explained,
  );
}

function outbox(input: CheckInput): InvariantResult {
  const n = input.state.outboxUnpublished;
  return result('I5', 'the outbox is fully published', 1, n ? [`${n} outbox rows not published`] : []);
}

function deadLetters(input: CheckInput): InvariantResult {
  const { deadLetters: letters, dlqCounts } = input.state;
  const violations: string[] = [];
  if (!letters) {
    const total = Object.values(dlqCounts).reduce((a, b) => a + b, 0);
    if (total !== 1)
      violations.push(`${total} messages in the DLQs, expected only the poisoned one: ${JSON.stringify(dlqCounts)}`);
  } else {
    for (const l of letters.filter((l) => l.key !== input.poisonKey))
      violations.push(`${l.topic} key ${l.key}: ${l.error.slice(0, 300)} | value ${l.value.slice(0, 120)}`);
    if (!letters.some((l) => l.key === input.poisonKey))
      violations.push(`the poisoned message (key ${input.poisonKey}) was not dead-lettered`);
  }
  return result(
    'I6',
    'the DLQs hold the deliberately poisoned message and nothing else',
    letters?.length ?? 1,
    violations,
  );
}

function oversized(input: CheckInput): InvariantResult {
  const answers = input.oversized ?? [];
  const wrong = answers.filter((o) => o.status !== 413);
  const violations = !answers.length
    ? ['the oversized webhook was not posted']
    : wrong.length
      ? [
          `a ${answers[0]!.bytes}-byte signed webhook got ${wrong.length} of ${answers.length} answers other than 413: ${[...new Set(wrong.map((o) => `${o.status} ${o.body.slice(0, 160)}`))].join(' | ')} (ingress /ready said ${[...new Set(wrong.map((o) => o.readyStatus))].join(', ')}); a body that can never be stored must get 413, or Stripe retries it for 3 days`,
        ]
      : [];
  return result('I7', 'the oversized webhook is refused permanently (413), not 503', answers.length, violations, false);
}

function answers(input: CheckInput): InvariantResult {
  const violations = input.ledger.anomalies.map((a) => `t=${(a.at / 1000).toFixed(1)}s ${a.handle}: ${a.what}`);
  const ops = Object.values(input.ledger.counts).reduce((a, b) => a + b, 0);
  return result(
    'I8',
    'every request of the load was answered as expected (retries with the same Idempotency-Key allowed)',
    ops,
    violations,
    false,
  );
}

function crashes(input: CheckInput): InvariantResult {
  const violations = input.fleetEvents
    .filter((e) => e.what.startsWith('exited by itself'))
    .map((e) => `t=${(e.at / 1000).toFixed(1)}s ${e.service} ${e.what}`);
  return result('I9', 'no service exited after it was ready unless the suite killed it', 4, violations, false);
}

/** Checks every invariant against one reading of the system. */
export function checkInvariants(input: CheckInput): InvariantResult[] {
  const ix = indexOf(input);
  return [
    apiToStripe(ix),
    stripeToRows(ix, input),
    deletions(ix),
    syncStatuses(ix, input),
    outbox(input),
    deadLetters(input),
    oversized(input),
    answers(input),
    crashes(input),
  ];
}
