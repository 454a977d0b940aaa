import { Injectable } from '@nestjs/common';
import { ClientMetadataValidator } from '../metadata/client-metadata.validator.js';
import { SoftwareStatementValidator } from '../software-statement/software-statement.validator.js';
import { getDcrCaller } from './dcr-caller.js';
import { RegistrationContext } from './registration-context.js';
import { RegistrationProcessor } from './registration.processor.js';
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
  ) {}

  async register(request: object, body: Record<string, unknown>): Promise<RegistrationResponse> {
    const context = new RegistrationContext(request, getDcrCaller(request), body);
    context.softwareStatement = await this.softwareStatements.validate(
      body.software_statement,
      context,
    );
    context.metadata = await this.validator.validate(context);
    context.result = await this.processor.process(context);
    return this.responseGenerator.generate(context, context.result);
  }
}
