import type { SeededRandom } from './seeded-random';

export const SERVICE_NAMES = ['api-service', 'stripe-sync-worker', 'webhook-ingress', 'db-writer'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export type FaultKind =
  | `kill:${ServiceName}`
  | 'broker-restart'
  | 'postgres-restart'
  | 'stripe-429-500-burst'
  | 'duplicate-delivery'
  | 'out-of-order-delivery'
  | 'paused-delivery'
  | 'oversized-webhook'
  | 'poison-message';

/** One fault: when it starts (ms from the start of the load) and how long it holds (downtime, window, or retries). */
export interface PlannedFault {
  kind: FaultKind;
  at: number;
  holdMs: number;
}

/** Where in the load (as fractions of its duration) each kind of fault may start. */
const WINDOWS: Record<string, [number, number]> = {
  kill: [0.1, 0.75],
  'broker-restart': [0.2, 0.7],
  'postgres-restart': [0.2, 0.7],
  'stripe-429-500-burst': [0.1, 0.7],
  'duplicate-delivery': [0.1, 0.7],
  // Pause and out-of-order both hold deliveries; they get separate halves so neither releases the other's.
  'paused-delivery': [0.1, 0.35],
  'out-of-order-delivery': [0.45, 0.7],
  'poison-message': [0.1, 0.75],
};

/**
 * Every fault once, at seeded moments, so the last one ends while the load still runs and the
 * system has to converge with traffic behind it. The oversized webhook is posted the moment paused
 * delivery resumes, so it shares producer batches with the released backlog, and is posted again
 * every 3 s while it gets a 5xx (as Stripe retries), each time meeting other traffic.
 */
export function planFaults(random: SeededRandom, durationMs: number): PlannedFault[] {
  const at = (kind: string) => {
    const [from, to] = WINDOWS[kind.startsWith('kill:') ? 'kill' : kind]!;
    return Math.round(random.between(from, to) * durationMs);
  };
  const faults: PlannedFault[] = [
    ...SERVICE_NAMES.map(
      (name): PlannedFault => ({ kind: `kill:${name}`, at: at('kill:'), holdMs: random.int(200, 2500) }),
    ),
    { kind: 'broker-restart', at: at('broker-restart'), holdMs: random.int(500, 2000) },
    { kind: 'postgres-restart', at: at('postgres-restart'), holdMs: random.int(500, 2000) },
    { kind: 'stripe-429-500-burst', at: at('stripe-429-500-burst'), holdMs: random.int(4000, 8000) },
    { kind: 'duplicate-delivery', at: at('duplicate-delivery'), holdMs: random.int(6000, 12000) },
    { kind: 'out-of-order-delivery', at: at('out-of-order-delivery'), holdMs: random.int(5000, 9000) },
    { kind: 'paused-delivery', at: at('paused-delivery'), holdMs: random.int(5000, 9000) },
    { kind: 'poison-message', at: at('poison-message'), holdMs: 0 },
  ];
  const paused = faults.find((f) => f.kind === 'paused-delivery')!;
  const resumedAt = paused.at + paused.holdMs;
  // Posted as the backlog is released, and re-posted like Stripe's retries while it gets a 5xx.
  faults.push({
    kind: 'oversized-webhook',
    at: resumedAt,
    holdMs: Math.max(0, Math.round(durationMs * 0.85) - resumedAt),
  });
  return faults.sort((a, b) => a.at - b.at);
}
