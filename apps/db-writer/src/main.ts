import { DbWriterEnv } from '@customer-sync/config';
import { runService } from '@customer-sync/service-core';
import { start } from './service';

void runService('db-writer', DbWriterEnv, start);
