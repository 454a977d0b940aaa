import { Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { DcrException, JwtSoftwareStatementValidator } from '../lib/index.js';

/**
 * The customisation story, through DI: this host's statements must name the
 * software they vouch for (`software_id`), so that every client registered
 * under a statement can be traced to a product, and revoked with it. The
 * library verifies signature, issuer and lifetime; this subclass adds one
 * binding rule and is given to DcrModule as the `softwareStatementValidator`
 * extra, replacing the default class.
 */
@Injectable()
export class SoftwareIdStatementValidator extends JwtSoftwareStatementValidator {
  protected override checkBinding(claims: Readonly<JWTPayload>): void {
    if (typeof claims.software_id !== 'string' || claims.software_id === '') {
      throw DcrException.invalidSoftwareStatement('the software statement must name a software_id');
    }
  }
}
