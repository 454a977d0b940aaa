import { cacheLifetimeSeconds } from './cache-lifetime.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const BOUNDS = { min: 60, max: 3600 };

describe('cacheLifetimeSeconds', () => {
  it.each<[Record<string, string>, number]>([
    [{}, 60],
    [{ 'cache-control': 'max-age=600' }, 600],
    [{ 'cache-control': 'public, max-age="900"' }, 900],
    [{ 'cache-control': 'max-age=600', age: '100' }, 500],
    [{ 'cache-control': 'max-age=10' }, 60],
    [{ 'cache-control': 'max-age=999999' }, 3600],
    [{ 'cache-control': 'no-store' }, 60],
    [{ 'cache-control': 'private, no-cache' }, 60],
    [{ expires: 'Tue, 01 Dec 2026 12:20:00 GMT' }, 1200],
    [{ expires: 'not a date' }, 60],
    [{ 'cache-control': 'max-age=120', expires: 'Tue, 01 Dec 2026 13:00:00 GMT' }, 120],
    [{ 'cache-control': 's-maxage=900' }, 60],
  ])('%j → %i s', (headers, expected) => {
    expect(cacheLifetimeSeconds(headers, BOUNDS, NOW)).toBe(expected);
  });
});
