import { ApiServiceEnv } from '@customer-sync/config';
import { runService } from '@customer-sync/service-core';
import { start } from './service';

void runService('api-service', ApiServiceEnv, start);
