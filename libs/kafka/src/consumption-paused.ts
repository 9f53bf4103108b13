/**
 * Thrown by a handler when a dependency refuses every message alike (Stripe refusing our API key):
 * no retry or dead letter would help, and failing the messages would be wrong. The consumer runner
 * leaves the message uncommitted, pauses its partition, and resumes it — from that same message —
 * once `until` resolves. `until` must not reject.
 */
export class ConsumptionPaused extends Error {
  constructor(
    reason: string,
    readonly until: Promise<void>,
  ) {
    super(reason);
    this.name = 'ConsumptionPaused';
  }
}
