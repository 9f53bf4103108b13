import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '@customer-sync/logger';
import { classifyStripeError } from './stripe-error-policy';

export interface StripeKeyGateOptions {
  /** A cheap authenticated Stripe call; resolves when Stripe accepts the key. */
  probe: () => Promise<unknown>;
  /** Time between probes while the key is refused, in ms. */
  probeIntervalMs: number;
  /** The key's mode (`test` or `live`, from its prefix), logged at start; never the key. */
  mode: string;
  logger: Logger;
  registry: Registry;
}

/**
 * Whether Stripe takes our API key. A 401 or 403 (wrong, revoked or expired key; a restricted key
 * without the permission) is an outage of the whole worker, not a failure of one customer: the
 * gate closes, says why (for /ready), raises `stripe_key_refused`, and probes every
 * `probeIntervalMs` until Stripe accepts the key again, then opens by itself.
 */
export class StripeKeyGate {
  private reason: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  private readonly refusedGauge: Gauge;
  private readonly refusals: Counter;

  constructor(private readonly options: StripeKeyGateOptions) {
    this.refusedGauge = new Gauge({
      name: 'stripe_key_refused',
      help: '1 while Stripe refuses our API key (401/403) and consumption is paused',
      registers: [options.registry],
    });
    this.refusedGauge.set(0);
    this.refusals = new Counter({
      name: 'stripe_key_refusals_total',
      help: 'Times Stripe started refusing our API key',
      registers: [options.registry],
    });
  }

  /** Why the key is refused, or undefined while it is accepted. */
  refusal(): string | undefined {
    return this.reason;
  }

  /** Closes the gate (if open) for `reason` and starts probing. */
  refuse(reason: string): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.refusedGauge.set(1);
    this.refusals.inc();
    this.options.logger.error('Stripe refuses our API key: consumption paused until a probe succeeds', {
      reason,
      probeIntervalMs: this.options.probeIntervalMs,
    });
    this.schedule();
  }

  /** Resolves once the key is accepted (at once if it is). Never rejects. */
  whenAccepted(): Promise<void> {
    if (this.reason === undefined) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Checks the key once, at start. Accepted: logs the account mode. Refused: closes the gate, so
   * the worker starts paused and unready rather than failing customers. Stripe unreachable: logs
   * and leaves the gate open (the calls themselves retry transient failures).
   */
  async checkAtStart(): Promise<void> {
    try {
      await this.options.probe();
      this.options.logger.info('Stripe accepted the API key', { mode: this.options.mode });
    } catch (error) {
      const failure = classifyStripeError(error);
      if (failure.kind === 'unauthorized') this.refuse(failure.message);
      else
        this.options.logger.warn('could not check the Stripe API key at start', {
          mode: this.options.mode,
          error: failure.kind === 'transient' ? failure.reason : String(error),
        });
    }
  }

  /** Stops probing (shutdown); waiters stay pending. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.probeOnce(), this.options.probeIntervalMs);
  }

  private async probeOnce(): Promise<void> {
    try {
      await this.options.probe();
    } catch (error) {
      const failure = classifyStripeError(error);
      this.options.logger.debug('Stripe key probe failed', { kind: failure.kind });
      if (this.timer) this.schedule();
      return;
    }
    if (!this.timer) return;
    this.timer = undefined;
    this.options.logger.info('Stripe accepts the API key again: consumption resumes', {
      mode: this.options.mode,
      refusedFor: this.reason,
    });
    this.reason = undefined;
    this.refusedGauge.set(0);
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
