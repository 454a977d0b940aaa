import { scopesOf } from './bearer-caller.js';
import { looksLikeJwt, readBearerToken } from './bearer-token.js';
import { InMemoryThrottlerStorage } from './in-memory-throttler-storage.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const withAuthorization = (authorization?: string) => ({ headers: { authorization } });

describe('readBearerToken', () => {
  it('reads the Authorization header, scheme in any case', () => {
    expect(readBearerToken(withAuthorization('Bearer abc.def-ghi_~+/='), 'dcr')).toBe(
      'abc.def-ghi_~+/=',
    );
    expect(readBearerToken(withAuthorization('bEaReR abc'), 'dcr')).toBe('abc');
  });

  it('finds none without a bearer Authorization header', () => {
    expect(readBearerToken(withAuthorization(), 'dcr')).toBeUndefined();
    expect(readBearerToken(withAuthorization('Basic abc'), 'dcr')).toBeUndefined();
    expect(readBearerToken(withAuthorization('Bearerabc'), 'dcr')).toBeUndefined();
  });

  it('refuses malformed bearer credentials with invalid_token', () => {
    for (const header of ['Bearer', 'Bearer a b', 'Bearer a"b', 'Bearer =abc']) {
      expect(() => readBearerToken(withAuthorization(header), 'dcr')).toThrow(
        expect.objectContaining({ code: 'invalid_token' }),
      );
    }
  });

  it('tells JWTs from opaque tokens by shape', () => {
    expect(looksLikeJwt('a.b.c')).toBe(true);
    expect(looksLikeJwt('abc')).toBe(false);
    expect(looksLikeJwt('a.b.c.d.e')).toBe(false);
  });
});

describe('scopesOf', () => {
  it('reads scope strings, scp arrays and scp strings', () => {
    expect(scopesOf({ scope: 'a  b' })).toEqual(['a', 'b']);
    expect(scopesOf({ scp: ['a', 1, 'b'] })).toEqual(['a', 'b']);
    expect(scopesOf({ scp: 'a b' })).toEqual(['a', 'b']);
    expect(scopesOf({ scope: 42 })).toEqual([]);
  });
});

describe('VerifiedTokenCache', () => {
  it('forgets entries at their expiry', () => {
    const cache = new VerifiedTokenCache<string>(10);
    cache.set('t', 'caller', 1000);
    expect(cache.get('t', 999)).toBe('caller');
    expect(cache.get('t', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays within its bound, dropping the oldest', () => {
    const cache = new VerifiedTokenCache<number>(2);
    cache.set('a', 1, 10_000);
    cache.set('b', 2, 10_000);
    cache.get('a', 0);
    cache.set('c', 3, 10_000);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)).toBe(2);
    expect(cache.get('c', 0)).toBe(3);
  });

  it('holds nothing when sized 0', () => {
    const cache = new VerifiedTokenCache<number>(0);
    cache.set('a', 1, 10_000);
    expect(cache.get('a', 0)).toBeUndefined();
  });
});

describe('InMemoryThrottlerStorage', () => {
  it('blocks after the limit within the window, per key and name', async () => {
    const storage = new InMemoryThrottlerStorage();
    const hit = (key = 'k', name = 'n') => storage.increment(key, 60_000, 2, 60_000, name);
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    const blocked = await hit();
    expect(blocked.isBlocked).toBe(true);
    expect(blocked.timeToBlockExpire).toBeGreaterThan(0);
    expect(blocked.timeToBlockExpire).toBeLessThanOrEqual(60);
    expect((await hit('other')).isBlocked).toBe(false);
    expect((await hit('k', 'other-name')).isBlocked).toBe(false);
  });

  it('opens a new window once the old one and its block expired', async () => {
    const storage = new InMemoryThrottlerStorage();
    await storage.increment('k', 1, 1, 1, 'n');
    await storage.increment('k', 1, 1, 1, 'n');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const record = await storage.increment('k', 1, 1, 1, 'n');
    expect(record).toMatchObject({ isBlocked: false, totalHits: 1 });
  });
});
