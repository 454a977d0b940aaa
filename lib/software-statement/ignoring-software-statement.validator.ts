import { Injectable } from '@nestjs/common';
import {
  SoftwareStatementValidator,
  type VerifiedSoftwareStatement,
} from './software-statement.validator.js';

/** The default with no trusted issuer: statements are ignored, as RFC 7591 §3.1.1 allows. */
@Injectable()
export class IgnoringSoftwareStatementValidator extends SoftwareStatementValidator {
  async validate(): Promise<VerifiedSoftwareStatement | undefined> {
    return undefined;
  }
}
