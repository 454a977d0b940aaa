import { DcrModule } from '../../lib/dcr.module.js';
import type { DcrStorageOptions } from '../../lib/store/store.options.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';
import { TEST_DATABASE_URL, useTestSchemas } from '../support/postgres.js';

const schema = useTestSchemas().freshSchema('control');
const STORES: [string, DcrStorageOptions][] = [
  ['in-memory', { kind: 'memory' }],
  ['PostgreSQL', { kind: 'postgres', connectionString: TEST_DATABASE_URL, schema }],
];

const MATRIX = ADAPTERS.flatMap((adapter) =>
  STORES.map(([name, storage]) => [adapter, name, storage] as const),
);

/** jsonb can't hold U+0000: such metadata must be refused as metadata, never reach the store as a 500. */
describe.each(MATRIX)(
  'control characters in metadata (%s, %s store)',
  (adapter, _name, storage) => {
    const { url } = useDcrApp(adapter, () =>
      DcrModule.forRoot({ registration: OPEN_REGISTRATION, storage }),
    );

    const base = { redirect_uris: ['https://app.example.com/cb'] };
    it.each([
      ['a NUL in client_name', { ...base, client_name: 'a\u0000b' }, 'client_name'],
      [
        'a newline in a language-tagged name',
        { ...base, 'client_name#en': 'a\nb' },
        'client_name#en',
      ],
      ['a NUL in a contact', { ...base, contacts: ['ops@example.com\u0000'] }, 'contacts'],
      [
        'a NUL in a redirect URI',
        { redirect_uris: ['https://app.example.com/cb\u0000'] },
        'redirect_uris',
      ],
      [
        'a NUL inside jwks',
        {
          grant_types: ['client_credentials'],
          jwks: { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB', 'x\u0000': 1 }] },
        },
        'jwks',
      ],
    ])('refuses %s with a 400 naming the member', async (_case, body, member) => {
      const res = await fetch(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      const error = (await res.json()) as { error: string; error_description: string };
      expect(error.error).toMatch(/^invalid_(client_metadata|redirect_uri)$/);
      expect(error.error_description.startsWith(member)).toBe(true);
    });

    it('still registers ordinary Unicode', async () => {
      const res = await fetch(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...base, client_name: 'Café ☕', 'client_name#ja': 'カフェ' }),
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({
        client_name: 'Café ☕',
        'client_name#ja': 'カフェ',
      });
    });
  },
);
