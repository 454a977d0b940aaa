import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { generateToken } from '../../lib/index.js';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { AccountStore } from './account-store.js';
import { PasswordHasher } from './password-hasher.js';

/**
 * Makes sure the administrator account exists. DCR_ADMIN_PASSWORD set: the
 * account is created, or its password reset (and its administrator flag
 * restored), at every start. Unset: a password is generated at first start
 * and printed once; later starts leave the account alone.
 */
@Injectable()
export class AdminAccount implements OnApplicationBootstrap {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { username, password } = this.config.admin;
    if (password !== undefined) {
      const passwordHash = await this.hasher.hash(password);
      const created = await this.accounts.create(username, passwordHash, true);
      if (!created) await this.accounts.update(username, { passwordHash, administrator: true });
      this.logger.log(`administrator account "${username}" ${created ? 'created' : 'updated'}`);
    } else {
      const generated = generateToken(18);
      // Created only if missing: another instance, or an earlier start, may have made it.
      if (await this.accounts.create(username, await this.hasher.hash(generated), true)) {
        this.printOnce(username, generated);
      }
    }
    if ((await this.accounts.findByUsername(username))?.disabled) {
      this.logger.warn(
        `administrator account "${username}" is disabled (npm run accounts -- enable)`,
      );
    }
  }

  /** Like the bootstrap secret: on stdout, outside the JSON log, once. */
  private printOnce(username: string, password: string): void {
    process.stdout.write(
      [
        '',
        'Administrator account (generated at first start: set DCR_ADMIN_PASSWORD to choose the password;',
        'this password is shown once, change it with `npm run accounts -- reset ' +
          username +
          '`):',
        `  DCR_ADMIN_USERNAME=${username}`,
        `  DCR_ADMIN_PASSWORD=${password}`,
        '',
        '',
      ].join('\n'),
    );
  }
}
