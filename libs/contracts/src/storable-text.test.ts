import { storableJson, storableText } from './storable-text';

describe('storableText', () => {
  it.each([
    ['plain text', 'Jenny Rosen', 'Jenny Rosen'],
    ['U+0000', 'a\u0000b', 'a\ufffdb'],
    ['a lone high surrogate', 'x\ud83dy', 'x\ufffdy'],
    ['a lone low surrogate', 'x\ude00y', 'x\ufffdy'],
    ['a surrogate pair (kept)', 'smile \ud83d\ude00', 'smile \ud83d\ude00'],
  ])('%s', (_case, input, expected) => {
    expect(storableText(input)).toBe(expected);
  });

  it('cleans keys and values of nested JSON', () => {
    expect(storableJson({ 'k\u0000': ['v\ud800'], n: 1 })).toEqual({ 'k\ufffd': ['v\ufffd'], n: 1 });
  });
});
