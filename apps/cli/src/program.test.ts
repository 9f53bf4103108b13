import { runCli } from './program';

// The CLI writes help and errors to the real streams; keep the test output readable.
beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

describe('customer-sync command line', () => {
  it('without a command shows help and exits 2', async () => {
    expect(await runCli([])).toBe(2);
  });

  it.each([
    [['--help']],
    [['status', '--help']],
    [['dlq', '--help']],
    [['dlq', 'list', '--help']],
    [['dlq', 'show', '--help']],
    [['dlq', 'replay', '--help']],
    [['dlq', 'purge', '--help']],
    [['resync', '--help']],
    [['reconcile', '--help']],
    [['migrate', '--help']],
    [['webhook', 'register', '--help']],
    [['prune', '--help']],
  ])('%j shows help and exits 0', async (argv) => {
    expect(await runCli(argv)).toBe(0);
  });

  it.each([
    ['an unknown command', ['restart']],
    ['an unknown option', ['status', '--verbose']],
    ['a missing argument', ['resync']],
    ['a malformed customer id', ['resync', 'cus_123']],
    ['an unknown topic', ['dlq', 'list', 'orders']],
    ['a replay without a selection', ['dlq', 'replay', 'customer.requested']],
    ['a purge with a malformed id', ['dlq', 'purge', 'customer.requested', '--id', 'first']],
    ['a page size out of range', ['reconcile', '--page-size', '500']],
    ['a webhook URL that is not http(s)', ['webhook', 'register', '--url', 'ftp://example.com/hook']],
    ['a webhook registration without --url', ['webhook', 'register']],
  ])('%s is a usage error: exit 2', async (_what, argv) => {
    expect(await runCli(argv)).toBe(2);
  });
});
