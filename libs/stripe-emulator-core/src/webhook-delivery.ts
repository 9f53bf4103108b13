import type { Logger } from '@customer-sync/logger';
import type { EventObject, WebhookEndpoint } from './emulator-state';
import { signatureHeader } from './webhook-signature';

export interface DeliveryAttempt {
  eventId: string;
  eventType: string;
  endpointId: string;
  attempt: number;
  status: number | null;
  error: string | null;
  at: string;
}

export interface DeliveryControls {
  paused: boolean;
  /** Extra copies of every delivery (Stripe delivers at least once). */
  duplicates: number;
  /** Hold deliveries and send each held group newest first. */
  outOfOrder: boolean;
}

export interface DeliveryOptions {
  /** Delay before each retry, in ms; its length bounds the attempts. */
  retryScheduleMs: number[];
  timeoutMs: number;
  logger: Logger;
  onDelivered?: (event: EventObject) => void;
}

interface Job {
  event: EventObject;
  endpoint: WebhookEndpoint;
  attempt: number;
}

/** Signed delivery with Stripe's retry-on-failure behaviour, plus the controls tests need. */
export class WebhookDelivery {
  readonly attempts: DeliveryAttempt[] = [];
  controls: DeliveryControls = { paused: false, duplicates: 0, outOfOrder: false };
  private held: Job[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: DeliveryOptions) {}

  enqueue(event: EventObject, endpoints: WebhookEndpoint[]): void {
    for (const endpoint of endpoints) {
      for (let copy = 0; copy <= this.controls.duplicates; copy++) this.dispatch({ event, endpoint, attempt: 1 });
    }
  }

  setControls(next: Partial<DeliveryControls>): void {
    this.controls = { ...this.controls, ...next };
    if (!this.controls.paused && !this.controls.outOfOrder) this.flush();
  }

  /** Sends everything held back (newest first when out-of-order delivery is on). */
  flush(): void {
    const jobs = this.held.splice(0);
    if (this.controls.outOfOrder) jobs.reverse();
    for (const job of jobs) this.send(job);
  }

  reset(): void {
    this.held = [];
    this.attempts.length = 0;
    this.controls = { paused: false, duplicates: 0, outOfOrder: false };
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private dispatch(job: Job): void {
    if (this.controls.paused || this.controls.outOfOrder) this.held.push(job);
    else this.send(job);
  }

  private send(job: Job): void {
    const work = this.attempt(job).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async attempt(job: Job): Promise<void> {
    if (this.stopped) return;
    // Stripe renders an event in the API version its endpoint is pinned to (else the account's).
    const payload = JSON.stringify(
      { ...job.event, api_version: job.endpoint.api_version ?? job.event.api_version },
      null,
      2,
    );
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(job.endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signatureHeader(payload, job.endpoint.secret),
        },
        body: payload,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    this.attempts.push({
      eventId: job.event.id,
      eventType: job.event.type,
      endpointId: job.endpoint.id,
      attempt: job.attempt,
      status,
      error,
      at: new Date().toISOString(),
    });
    if (status !== null && status >= 200 && status < 300) {
      this.options.onDelivered?.(job.event);
      return;
    }
    const delay = this.options.retryScheduleMs[job.attempt - 1];
    if (delay === undefined || this.stopped) {
      this.options.logger.warn('webhook delivery gave up', {
        eventId: job.event.id,
        endpoint: job.endpoint.id,
        attempts: job.attempt,
      });
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.dispatch({ ...job, attempt: job.attempt + 1 });
    }, delay);
    this.timers.add(timer);
  }
}
