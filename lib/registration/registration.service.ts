import { Injectable } from '@nestjs/common';
import { DcrAuditor } from '../audit/dcr-auditor.js';
import { ClientMetadataValidator } from '../metadata/client-metadata.validator.js';
import { SoftwareStatementValidator } from '../software-statement/software-statement.validator.js';
import { getDcrCaller } from './dcr-caller.js';
import { RegistrationContext } from './registration-context.js';
import { RegistrationProcessor } from './registration.processor.js';
import { SectorIdentifierVerifier } from './sector-identifier.verifier.js';
import {
  RegistrationResponseGenerator,
  type RegistrationResponse,
} from './registration-response.generator.js';

/** Runs the pipeline: software statement -> metadata validator -> processor -> response generator, sharing one context. */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly softwareStatements: SoftwareStatementValidator,
    private readonly validator: ClientMetadataValidator,
    private readonly processor: RegistrationProcessor,
    private readonly responseGenerator: RegistrationResponseGenerator,
    private readonly auditor: DcrAuditor,
    private readonly sectorIdentifiers: SectorIdentifierVerifier,
  ) {}

  async register(request: object, body: Record<string, unknown>): Promise<RegistrationResponse> {
    const context = new RegistrationContext(request, getDcrCaller(request), body);
    const response = await this.run(context);
    if (context.result)
      this.auditor.succeeded(request, 'client.registered', context.result.client.clientId);
    return response;
  }

  /**
   * The pipeline for a registration or, with `context.existingClient`, an
   * RFC 7592 update. `presentedToken` is shown when the processor issued no
   * new registration access token (an update without rotation).
   */
  async run(context: RegistrationContext, presentedToken?: string): Promise<RegistrationResponse> {
    context.softwareStatement = await this.softwareStatements.validate(
      context.body.software_statement,
      context,
    );
    context.metadata = await this.validator.validate(context);
    const sectorCheck = this.sectorIdentifiers.verify(context.metadata);
    if (sectorCheck) await sectorCheck;
    context.result = await this.processor.process(context);
    context.result.registrationAccessToken ??= presentedToken;
    return this.responseGenerator.generate(context, context.result);
  }
}
