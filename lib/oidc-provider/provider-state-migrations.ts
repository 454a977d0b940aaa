import type { MigrationHistory } from '../store/postgres/migrations.js';

/**
 * The provider state's schema history, recorded in its own table so that its
 * versions never collide with the client store's in a shared schema.
 */
export const PROVIDER_STATE_HISTORY: MigrationHistory = {
  table: 'dcr_provider_state_migrations',
  migrations: [
    {
      version: 1,
      name: 'oidc-provider models, keyed by model and id',
      statements: (s) => [
        // payload is JSON kept as text: never queried into, and text (unlike
        // jsonb) holds a \u0000 escape that a request parameter may carry.
        `CREATE TABLE ${s}.dcr_provider_state (
          model text NOT NULL,
          id text NOT NULL,
          payload text NOT NULL,
          grant_id text,
          uid text,
          user_code text,
          expires_at bigint,
          consumed_at bigint,
          PRIMARY KEY (model, id)
        )`,
        `CREATE INDEX dcr_provider_state_grant_idx ON ${s}.dcr_provider_state (grant_id)
           WHERE grant_id IS NOT NULL`,
        `CREATE INDEX dcr_provider_state_uid_idx ON ${s}.dcr_provider_state (model, uid)
           WHERE uid IS NOT NULL`,
        `CREATE INDEX dcr_provider_state_user_code_idx ON ${s}.dcr_provider_state (model, user_code)
           WHERE user_code IS NOT NULL`,
        `CREATE INDEX dcr_provider_state_expiry_idx ON ${s}.dcr_provider_state (expires_at)
           WHERE expires_at IS NOT NULL`,
      ],
    },
    {
      version: 2,
      name: 'the session a grant source expires with',
      // Null for records written before it: those are found as before, their session on its own.
      statements: (s) => [`ALTER TABLE ${s}.dcr_provider_state ADD COLUMN session_uid text`],
    },
  ],
};
