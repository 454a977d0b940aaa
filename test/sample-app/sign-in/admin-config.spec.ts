import { loadAdminConfig } from '../../../sample-app/accounts/admin-config.js';
import { ConfigError, loadConfig } from '../../../sample-app/config.js';

describe('DCR_ADMIN_USERNAME / DCR_ADMIN_PASSWORD', () => {
  it('defaults to the username admin and a password generated at first start', () => {
    expect(loadAdminConfig({})).toEqual({ username: 'admin', password: undefined });
    expect(loadAdminConfig({ DCR_ADMIN_PASSWORD: '' }).password).toBeUndefined();
  });

  it('takes a username (case-folded) and a password of at least 12 characters, kept as given', () => {
    expect(
      loadAdminConfig({ DCR_ADMIN_USERNAME: 'Root@Example', DCR_ADMIN_PASSWORD: ' twelve chars ' }),
    ).toEqual({ username: 'root@example', password: ' twelve chars ' });
  });

  it.each([
    [{ DCR_ADMIN_PASSWORD: 'short-11chr' }, 'DCR_ADMIN_PASSWORD'],
    [{ DCR_ADMIN_USERNAME: 'has space' }, 'DCR_ADMIN_USERNAME'],
    [{ DCR_ADMIN_USERNAME: '<script>' }, 'DCR_ADMIN_USERNAME'],
  ])('refuses %p, naming %s and never echoing a password', (env, variable) => {
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(variable);
    expect((thrown as Error).message).not.toContain('short-11chr');
  });
});
