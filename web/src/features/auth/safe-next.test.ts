import { safeNext } from './safe-next';

describe('safeNext', () => {
  it('returns to a page of the store', () => {
    expect(safeNext('/premiere/1')).toBe('/premiere/1');
    expect(safeNext('/checkout?order=abc')).toBe('/checkout?order=abc');
  });
  it('never leaves the site or loops back to the login', () => {
    for (const bad of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', '/login?next=/cart']) {
      expect(safeNext(bad)).toBe('/');
    }
  });
});
