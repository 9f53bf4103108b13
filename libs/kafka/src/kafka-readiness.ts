import type { Admin, Kafka } from 'kafkajs';

/** A readiness check that asks the broker for its cluster metadata over one long-lived admin connection. */
export function kafkaReadiness(kafka: Kafka): { name: string; check: () => Promise<void>; close: () => Promise<void> } {
  let admin: Admin | undefined;
  return {
    name: 'kafka',
    async check() {
      if (!admin) {
        admin = kafka.admin({ retry: { retries: 0 } });
        await admin.connect().catch((error) => {
          admin = undefined;
          throw error;
        });
      }
      await admin.describeCluster();
    },
    async close() {
      await admin?.disconnect();
    },
  };
}
