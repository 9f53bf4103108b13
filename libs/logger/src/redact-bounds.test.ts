import { MAX_LOGGED_CHARS, maskPatterns, redact, redactText } from './redact';

/*
 * Attacker-controlled strings (event ids, keys, error texts) reach the logs. Every pattern has
 * bounded quantifiers, so masking costs at most a constant per character; these inputs took
 * minutes with an unbounded local part (each start position scanned to the end of the run).
 */
describe('redaction of long attacker-controlled strings', () => {
  it('masks a 200,000-character run without an @ in one pass (no backtracking across the run)', () => {
    const run = 'a.b-c_d%e+f'.repeat(20_000).replace(/_/g, '9');
    expect(maskPatterns(run)).toBe(run);
  });

  it('masks a 200,000-character run of digits and of domain characters followed by an @', () => {
    expect(maskPatterns(`${'1'.repeat(200_000)} x`)).toBe(`${'1'.repeat(200_000)} x`);
    expect(maskPatterns(`x@${'a-'.repeat(100_000)}`)).toBe(`x@${'a-'.repeat(100_000)}`);
  });

  it('truncates a 1 MB string to the logged maximum with a marker saying how long it was', () => {
    const huge = 'e'.repeat(1_048_576);
    const out = redactText(huge);
    expect(out.length).toBeLessThanOrEqual(MAX_LOGGED_CHARS + 64);
    expect(out).toMatch(/…\[truncated: 1048576 chars\]$/);
  });

  it('never leaves part of an email or card number at the cut', () => {
    const filler = 'x '.repeat(MAX_LOGGED_CHARS / 2 - 8);
    expect(redactText(`${filler}jenny.rosen@example.com and more ${'y'.repeat(MAX_LOGGED_CHARS)}`)).not.toMatch(
      /jenny|rosen/,
    );
    expect(redactText(`${filler}4242 4242 4242 4242 ${'y'.repeat(MAX_LOGGED_CHARS)}`)).not.toMatch(/4242/);
  });

  it('bounds long strings inside objects and error messages too', () => {
    const out = redact({ eventId: `evt_${'a'.repeat(60_000)}`, error: new Error('z'.repeat(60_000)) }) as {
      eventId: string;
      error: { message: string };
    };
    expect(out.eventId.length).toBeLessThanOrEqual(MAX_LOGGED_CHARS + 64);
    expect(out.error.message.length).toBeLessThanOrEqual(MAX_LOGGED_CHARS + 64);
  });
});
