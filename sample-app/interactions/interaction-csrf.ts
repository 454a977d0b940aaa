import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * A form token bound to one interaction: HMAC(uid) under a key derived from
 * the provider's cookie key. Beside the SameSite=Lax interaction cookie, it
 * makes a form posted from another site (or for another interaction) fail.
 */
export class InteractionCsrf {
  private readonly key: Buffer;

  constructor(cookieKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', cookieKey, '', 'sample-app interaction form', 32));
  }

  tokenFor(uid: string): string {
    return createHmac('sha256', this.key).update(uid).digest('base64url');
  }

  matches(uid: string, presented: unknown): boolean {
    if (typeof presented !== 'string') return false;
    const expected = Buffer.from(this.tokenFor(uid));
    const given = Buffer.from(presented);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
