import { SignInThrottle } from '../../../sample-app/interactions/sign-in-throttle.js';

describe('SignInThrottle', () => {
  let now: number;
  const limits = {
    username: { failures: 3, windowMs: 60_000 },
    address: { failures: 5, windowMs: 60_000 },
  };
  const throttle = (): SignInThrottle => new SignInThrottle(limits, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a username try until its failures reach the limit, then until the window passes', () => {
    const t = throttle();
    for (let i = 0; i < 3; i += 1) {
      expect(t.waitMs('alice', '10.0.0.1')).toBe(0);
      t.failed('alice', '10.0.0.1');
      now += 1_000;
    }
    expect(t.waitMs('alice', '10.0.0.2')).toBe(57_000);
    expect(t.waitMs('bob', '10.0.0.2')).toBe(0);
    now += 57_000;
    expect(t.waitMs('alice', '10.0.0.2')).toBe(0);
  });

  it('throttles an address trying many usernames', () => {
    const t = throttle();
    for (let i = 0; i < 5; i += 1) t.failed(`user${i}`, '10.0.0.9');
    expect(t.waitMs('fresh-user', '10.0.0.9')).toBeGreaterThan(0);
    expect(t.waitMs('fresh-user', '10.0.0.8')).toBe(0);
  });

  it("clears a username's failures on success, not its address's", () => {
    const t = throttle();
    for (let i = 0; i < 3; i += 1) t.failed('alice', '10.0.0.1');
    t.failed('x', '10.0.0.1');
    t.failed('y', '10.0.0.1');
    t.succeeded('alice');
    expect(t.waitMs('alice', '10.0.0.2')).toBe(0);
    expect(t.waitMs('alice', '10.0.0.1')).toBeGreaterThan(0);
  });
});
