// The API benchmark clones the same migrated template database the tests use.
import globalSetup from '../jest/global-setup';

void globalSetup();
