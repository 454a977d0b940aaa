// No relative imports: the same file serves ESM and CommonJS apps, and Jest.
import { Injectable, Module } from '@nestjs/common';
import {
  DcrException,
  DcrModule,
  DefaultClientMetadataValidator,
  SoftwareStatementValidator,
  type ClientMetadata,
  type RegistrationContext,
  type VerifiedSoftwareStatement,
} from 'nestjs-dcr';

/** A user's own SoftwareStatementValidator: this app takes no statements at all. */
@Injectable()
export class NoSoftwareStatements extends SoftwareStatementValidator {
  async validate(
    statement: unknown,
    _context: RegistrationContext,
  ): Promise<VerifiedSoftwareStatement | undefined> {
    if (statement === undefined) return undefined;
    throw DcrException.invalidSoftwareStatement('this server takes no software statements');
  }
}

/** A user's own metadata step: the default scope rules, and never the admin scope. */
@Injectable()
export class NoAdminScope extends DefaultClientMetadataValidator {
  protected override validateScope(
    metadata: ClientMetadata,
    context: RegistrationContext,
  ): void | Promise<void> {
    if (metadata.scope?.split(' ').includes('admin')) {
      throw DcrException.invalidClientMetadata('scope: admin is not for registered clients');
    }
    return super.validateScope(metadata, context);
  }
}

@Module({
  imports: [
    DcrModule.forRoot({
      publicBaseUrl: process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000',
      registration: { mode: 'open' },
      validator: NoAdminScope,
      softwareStatementValidator: NoSoftwareStatements,
    }),
  ],
})
export class AppModule {}
