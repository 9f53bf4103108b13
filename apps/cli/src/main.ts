import { runCli } from './program';

void runCli(process.argv.slice(2)).then((code) => process.exit(code));
