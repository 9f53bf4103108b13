import { StripeSyncWorkerEnv } from '@customer-sync/config';
import { runService } from '@customer-sync/service-core';
import { start } from './service';

void runService('stripe-sync-worker', StripeSyncWorkerEnv, start);
