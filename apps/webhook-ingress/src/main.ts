import { WebhookIngressEnv } from '@customer-sync/config';
import { runService } from '@customer-sync/service-core';
import { start } from './service';

void runService('webhook-ingress', WebhookIngressEnv, start);
