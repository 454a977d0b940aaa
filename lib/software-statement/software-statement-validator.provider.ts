import type { Provider, Type } from '@nestjs/common';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import { ClientStore } from '../store/client-store.js';
import { IgnoringSoftwareStatementValidator } from './ignoring-software-statement.validator.js';
import { JwtSoftwareStatementValidator } from './jwt-software-statement.validator.js';
import { SoftwareStatementValidator } from './software-statement.validator.js';

/**
 * The user's class when forRoot names one; otherwise the JWT validator when
 * `softwareStatements` names trusted issuers, and the ignoring one when not.
 */
export function softwareStatementValidatorProvider(
  custom: Type<SoftwareStatementValidator> | undefined,
): Provider {
  if (custom) return { provide: SoftwareStatementValidator, useClass: custom };
  return {
    provide: SoftwareStatementValidator,
    useFactory: (options: ResolvedDcrOptions, store: ClientStore) =>
      options.softwareStatements
        ? new JwtSoftwareStatementValidator(options, store)
        : new IgnoringSoftwareStatementValidator(),
    inject: [DCR_OPTIONS, ClientStore],
  };
}
