import { ReplayedGrantError } from '../../lib/oidc-provider/replayed-grant.error.js';
import type { SqlProviderState } from '../../lib/oidc-provider/sql-provider-state.js';

/** A controllable clock (seconds), as SqlProviderState's `now` option takes it. */
export interface TestClock {
  now: () => number;
  advance(seconds: number): void;
}

export function testClock(start = 1_800_000_000): TestClock {
  let current = start;
  return { now: () => current, advance: (seconds) => (current += seconds) };
}

/**
 * The behaviour of the provider state on a database: oidc-provider's adapter
 * contract (example/adapters/) plus the atomic consume and the sweep. `open`
 * returns a migrated state on a fresh, empty schema, reading time from `clock`.
 */
export function describeProviderStateContract(
  name: string,
  open: (clock: TestClock) => Promise<SqlProviderState>,
): void {
  describe(`provider state contract: ${name}`, () => {
    let clock: TestClock;
    let state: SqlProviderState;

    beforeEach(async () => {
      clock = testClock();
      state = await open(clock);
    });

    it('finds what it stored, per model, and nothing it did not', async () => {
      const codes = state.adapterFor('AuthorizationCode');
      const tokens = state.adapterFor('AccessToken');
      const code = { jti: 'same-id', kind: 'AuthorizationCode', grantId: 'g1', scope: 'openid' };
      await codes.upsert('same-id', code, 60);
      await tokens.upsert('same-id', { jti: 'same-id', kind: 'AccessToken' }, 60);
      expect(await codes.find('same-id')).toEqual(code);
      expect(await tokens.find('same-id')).toEqual({ jti: 'same-id', kind: 'AccessToken' });
      expect(await codes.find('other-id')).toBeUndefined();
      expect(await state.adapterFor('RefreshToken').find('same-id')).toBeUndefined();
    });

    it('replaces a record on a second upsert', async () => {
      const sessions = state.adapterFor('Session');
      await sessions.upsert('s1', { uid: 'u1', accountId: 'alice' }, 600);
      await sessions.upsert('s1', { uid: 'u2', accountId: 'bob' }, 600);
      expect(await sessions.find('s1')).toEqual({ uid: 'u2', accountId: 'bob' });
      expect(await sessions.findByUid('u1')).toBeUndefined();
      expect(await sessions.findByUid('u2')).toEqual({ uid: 'u2', accountId: 'bob' });
    });

    it('keeps nested JSON, unicode and NUL escapes intact', async () => {
      const interactions = state.adapterFor('Interaction');
      const payload = {
        params: { state: 'a\u0000b', nonce: 'ü✓', claims: { userinfo: { email: null } } },
        prompt: { details: { missingOIDCScope: ['openid', 'profile'] } },
        exp: 1_800_000_600,
      };
      await interactions.upsert('i1', payload, 600);
      expect(await interactions.find('i1')).toEqual(payload);
    });

    it('answers undefined, without asking the database to fail, for keys PostgreSQL cannot hold', async () => {
      const codes = state.adapterFor('AuthorizationCode');
      expect(await codes.find('bad\u0000id')).toBeUndefined();
      expect(await state.adapterFor('Session').findByUid('bad\u0000uid')).toBeUndefined();
      expect(await state.adapterFor('DeviceCode').findByUserCode('\u0000')).toBeUndefined();
      await expect(codes.destroy('bad\u0000id')).resolves.toBeUndefined();
      await expect(codes.revokeByGrantId('bad\u0000grant')).resolves.toBeUndefined();
    });

    it('finds a session by uid and a device code by user code', async () => {
      await state.adapterFor('Session').upsert('cookie-id', { uid: 'uid-1', accountId: 'a' }, 60);
      await state
        .adapterFor('DeviceCode')
        .upsert('dc1', { userCode: 'ABCD-EFGH', grantId: 'g', kind: 'DeviceCode' }, 60);
      expect(await state.adapterFor('Session').findByUid('uid-1')).toEqual({
        uid: 'uid-1',
        accountId: 'a',
      });
      expect(await state.adapterFor('DeviceCode').findByUserCode('ABCD-EFGH')).toMatchObject({
        kind: 'DeviceCode',
      });
      expect(await state.adapterFor('Interaction').findByUid('uid-1')).toBeUndefined();
    });

    it('hides a record once it expires, and sweeps only expired records', async () => {
      const codes = state.adapterFor('AuthorizationCode');
      await codes.upsert('short', { grantId: 'g' }, 10);
      await codes.upsert('long', { grantId: 'g' }, 1000);
      await state.adapterFor('Client').upsert('forever', { client_id: 'forever' });
      clock.advance(9);
      expect(await codes.find('short')).toEqual({ grantId: 'g' });
      clock.advance(1);
      expect(await codes.find('short')).toBeUndefined();
      expect(await state.deleteExpired()).toBe(1);
      expect(await state.deleteExpired()).toBe(0);
      clock.advance(100_000);
      expect(await codes.find('long')).toBeUndefined();
      expect(await state.adapterFor('Client').find('forever')).toEqual({ client_id: 'forever' });
      expect(await state.deleteExpired()).toBe(1);
    });

    it('marks a consumed record with the time it was consumed', async () => {
      const codes = state.adapterFor('AuthorizationCode');
      await codes.upsert('c1', { grantId: 'g1' }, 60);
      clock.advance(5);
      await codes.consume('c1');
      expect(await codes.find('c1')).toEqual({ grantId: 'g1', consumed: clock.now() });
    });

    it('lets exactly one of many concurrent consumers win; the losers get invalid_grant and revoke the grant', async () => {
      const codes = state.adapterFor('AuthorizationCode');
      await codes.upsert('c1', { grantId: 'g1' }, 60);
      await state.adapterFor('Grant').upsert('g1', { accountId: 'alice' }, 600);
      await state.adapterFor('AccessToken').upsert('at1', { grantId: 'g1' }, 60);
      await state.adapterFor('RefreshToken').upsert('rt1', { grantId: 'g1' }, 600);
      await state.adapterFor('AccessToken').upsert('at-other', { grantId: 'g2' }, 60);
      await state.adapterFor('Grant').upsert('g2', { accountId: 'bob' }, 600);

      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => codes.consume('c1')),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.filter((result) => result.status === 'rejected');
      expect(refused).toHaveLength(4);
      for (const { reason } of refused) {
        expect(reason).toBeInstanceOf(ReplayedGrantError);
        expect(reason).toMatchObject({
          message: 'invalid_grant',
          error: 'invalid_grant',
          statusCode: 400,
          expose: true,
        });
      }
      expect(await codes.find('c1')).toBeUndefined();
      expect(await state.adapterFor('Grant').find('g1')).toBeUndefined();
      expect(await state.adapterFor('AccessToken').find('at1')).toBeUndefined();
      expect(await state.adapterFor('RefreshToken').find('rt1')).toBeUndefined();
      expect(await state.adapterFor('AccessToken').find('at-other')).toEqual({ grantId: 'g2' });
      expect(await state.adapterFor('Grant').find('g2')).toEqual({ accountId: 'bob' });
    });

    it('refuses to consume what is gone, with the error the model calls for', async () => {
      await expect(state.adapterFor('RefreshToken').consume('missing')).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      await expect(
        state.adapterFor('PushedAuthorizationRequest').consume('missing'),
      ).rejects.toMatchObject({ error: 'invalid_request_uri', statusCode: 400 });
    });

    it('keeps `consumed` from the payload on upsert, and clears it when the payload has none', async () => {
      const tokens = state.adapterFor('RefreshToken');
      await tokens.upsert('rt', { grantId: 'g', consumed: 1_700_000_000 }, 60);
      expect(await tokens.find('rt')).toEqual({ grantId: 'g', consumed: 1_700_000_000 });
      await tokens.upsert('rt', { grantId: 'g' }, 60);
      expect(await tokens.find('rt')).toEqual({ grantId: 'g' });
      await expect(tokens.consume('rt')).resolves.toBeUndefined();
    });

    it('destroys one record', async () => {
      const sessions = state.adapterFor('Session');
      await sessions.upsert('s1', { uid: 'u1' }, 60);
      await sessions.upsert('s2', { uid: 'u2' }, 60);
      await sessions.destroy('s1');
      expect(await sessions.find('s1')).toBeUndefined();
      expect(await sessions.findByUid('u1')).toBeUndefined();
      expect(await sessions.find('s2')).toEqual({ uid: 'u2' });
    });

    it("revokes by grant id only the adapter's own model's records of that grant", async () => {
      const tokens = state.adapterFor('AccessToken');
      await tokens.upsert('a1', { grantId: 'g1' }, 60);
      await tokens.upsert('a2', { grantId: 'g1' }, 60);
      await tokens.upsert('a3', { grantId: 'g2' }, 60);
      await state.adapterFor('RefreshToken').upsert('r1', { grantId: 'g1' }, 60);
      await tokens.revokeByGrantId('g1');
      expect(await tokens.find('a1')).toBeUndefined();
      expect(await tokens.find('a2')).toBeUndefined();
      expect(await tokens.find('a3')).toEqual({ grantId: 'g2' });
      expect(await state.adapterFor('RefreshToken').find('r1')).toEqual({ grantId: 'g1' });
    });

    describe('a grant source read with its Grant and Session', () => {
      const grant = { accountId: 'alice', clientId: 'c', openid: { scope: 'openid' } };
      const session = { uid: 'u1', accountId: 'alice', authorizations: { c: { grantId: 'g1' } } };
      const token = { grantId: 'g1', sessionUid: 'u1', expiresWithSession: true, scope: 'openid' };

      beforeEach(async () => {
        await state.adapterFor('Grant').upsert('g1', grant, 600);
        await state.adapterFor('Session').upsert('cookie-1', session, 600);
        await state.adapterFor('RefreshToken').upsert('rt1', token, 300);
      });

      it('answers the finds that follow with what is stored, and again after', async () => {
        for (let round = 0; round < 2; round++) {
          expect(await state.adapterFor('RefreshToken').find('rt1')).toEqual(token);
          expect(await state.adapterFor('Session').findByUid('u1')).toEqual(session);
          expect(await state.adapterFor('Grant').find('g1')).toEqual(grant);
        }
        expect(await state.adapterFor('Grant').find('g1')).toEqual(grant);
      });

      it('never answers what was written or deleted since it was read', async () => {
        await state.adapterFor('RefreshToken').find('rt1');
        await state.adapterFor('Grant').upsert('g1', { ...grant, accountId: 'bob' }, 600);
        await state.adapterFor('Session').destroy('cookie-1');
        expect(await state.adapterFor('Grant').find('g1')).toEqual({ ...grant, accountId: 'bob' });
        expect(await state.adapterFor('Session').findByUid('u1')).toBeUndefined();

        await state.adapterFor('RefreshToken').find('rt1');
        await state.adapterFor('AccessToken').upsert('at-other', { grantId: 'g2' }, 60);
        await state.adapterFor('RefreshToken').consume('rt1');
        const replay = state.adapterFor('RefreshToken').consume('rt1');
        await expect(replay).rejects.toBeInstanceOf(ReplayedGrantError);
        expect(await state.adapterFor('Grant').find('g1')).toBeUndefined();
      });

      it('hides its Grant once that expires, as a find of its own would', async () => {
        await state.adapterFor('Grant').upsert('g1', grant, 10);
        expect(await state.adapterFor('RefreshToken').find('rt1')).toEqual(token);
        clock.advance(10);
        expect(await state.adapterFor('Grant').find('g1')).toBeUndefined();
      });

      it('leaves the session of a record that outlives it to a find of its own', async () => {
        const offline = { ...token, expiresWithSession: false };
        await state.adapterFor('RefreshToken').upsert('rt-offline', offline, 300);
        expect(await state.adapterFor('RefreshToken').find('rt-offline')).toEqual(offline);
        expect(await state.adapterFor('Session').findByUid('u1')).toEqual(session);
        expect(await state.adapterFor('Grant').find('g1')).toEqual(grant);
      });

      it('finds a source whose Grant and Session are gone, and nothing for them', async () => {
        await state.adapterFor('Grant').destroy('g1');
        await state.adapterFor('Session').destroy('cookie-1');
        expect(await state.adapterFor('RefreshToken').find('rt1')).toEqual(token);
        expect(await state.adapterFor('Session').findByUid('u1')).toBeUndefined();
        expect(await state.adapterFor('Grant').find('g1')).toBeUndefined();
      });
    });

    it('migrates once: a second run finds nothing to do', async () => {
      expect(await state.migrate()).toEqual([]);
    });
  });
}
