import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import { DcrException } from '../errors/dcr.exception.js';
import type { RegistrationContext } from '../registration/registration-context.js';
import { holdsUnstorable } from '../metadata/member-types.js';
import { ClientStore } from '../store/client-store.js';
import { checkInlineKeys, issuerKeyResolvers } from './issuer-keys.js';
import { toSoftwareStatementException } from './software-statement-errors.js';
import type { ResolvedSoftwareStatementOptions } from './software-statement.options.js';
import {
  SoftwareStatementValidator,
  type VerifiedSoftwareStatement,
} from './software-statement.validator.js';

/** Claims about the statement itself (RFC 7519 §4.1), never merged into the client's metadata. */
const STATEMENT_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'software_statement',
]);

/**
 * Verifies software statements as JWS-signed JWTs (RFC 7591 §2.3, §3.1.1)
 * against the keys of the issuers in the `softwareStatements` option.
 * Subclass it and override checkBinding to tie a statement to the request.
 */
@Injectable()
export class JwtSoftwareStatementValidator
  extends SoftwareStatementValidator
  implements OnModuleInit
{
  protected readonly settings: ResolvedSoftwareStatementOptions;
  private readonly keys: ReadonlyMap<string, JWTVerifyGetKey>;

  constructor(
    @Inject(DCR_OPTIONS) options: ResolvedDcrOptions,
    protected readonly store: ClientStore,
  ) {
    super();
    if (!options.softwareStatements) {
      throw new DcrConfigurationError(
        'softwareStatements',
        'must name the trusted issuers to use JwtSoftwareStatementValidator',
      );
    }
    this.settings = options.softwareStatements;
    this.keys = issuerKeyResolvers(this.settings);
  }

  async onModuleInit(): Promise<void> {
    await checkInlineKeys(this.settings.issuers.values());
  }

  async validate(
    statement: unknown,
    context: RegistrationContext,
  ): Promise<VerifiedSoftwareStatement | undefined> {
    if (statement === undefined) {
      if (!this.settings.required) return undefined;
      throw DcrException.invalidSoftwareStatement('a software_statement is required');
    }
    if (typeof statement !== 'string') {
      throw DcrException.invalidSoftwareStatement(
        'the software_statement must be a string (a JWT)',
      );
    }
    const issuer = this.unverifiedIssuer(statement);
    const keys = this.keys.get(issuer);
    if (!keys) {
      throw DcrException.unapprovedSoftwareStatement(
        'the software statement issuer is not approved by this server',
      );
    }
    const claims = await this.verify(statement, issuer, keys);
    this.checkLifetime(claims);
    await this.checkBinding(claims, context);
    if (this.settings.replayProtection && !this.isRegisteredWith(statement, context)) {
      await this.rejectReplay(claims);
    }
    return { statement, claims: metadataClaims(claims) };
  }

  /**
   * Binding rules between a verified statement and the request, such as
   * "redirect_uris in the body must be among the statement's". Throw a
   * DcrException to refuse. Does nothing by default.
   */
  protected checkBinding(
    _claims: Readonly<JWTPayload>,
    _context: RegistrationContext,
  ): void | Promise<void> {
    return undefined;
  }

  /**
   * A statement without `exp` would be accepted for ever: it needs an `iat`
   * within maxAgeWithoutExpSeconds (0 turns this off).
   */
  protected checkLifetime(claims: Readonly<JWTPayload>): void {
    const maxAge = this.settings.maxAgeWithoutExpSeconds;
    if (claims.exp !== undefined || maxAge === 0) return;
    if (typeof claims.iat !== 'number') {
      throw DcrException.invalidSoftwareStatement(
        'the software statement must carry an "exp" claim, or an "iat" claim',
      );
    }
    const now = Math.floor(Date.now() / 1000);
    if (now - claims.iat > maxAge + this.settings.clockToleranceSeconds) {
      throw DcrException.invalidSoftwareStatement(
        'the software statement has no "exp" and was issued too long ago',
      );
    }
  }

  /** The `iss` of a compact JWS, read before verification to pick the issuer's keys. */
  private unverifiedIssuer(statement: string): string {
    let alg: unknown;
    let iss: unknown;
    try {
      if (statement.split('.').length !== 3) throw new TypeError('not a compact JWS');
      alg = decodeProtectedHeader(statement).alg;
      iss = decodeJwt(statement).iss;
    } catch {
      throw DcrException.invalidSoftwareStatement('the software statement is not a signed JWT');
    }
    if (typeof alg !== 'string' || !this.settings.algorithms.includes(alg)) {
      throw DcrException.invalidSoftwareStatement(
        'the software statement is signed with an algorithm that is not accepted',
      );
    }
    if (typeof iss !== 'string' || iss === '') {
      throw DcrException.invalidSoftwareStatement('the software statement lacks an "iss" claim');
    }
    return iss;
  }

  private async verify(statement: string, issuer: string, keys: JWTVerifyGetKey) {
    try {
      const { payload } = await jwtVerify(statement, keys, {
        issuer,
        algorithms: [...this.settings.algorithms],
        clockTolerance: this.settings.clockToleranceSeconds,
        maxTokenAge: this.settings.maxAgeSeconds,
        requiredClaims: this.settings.replayProtection ? ['jti'] : [],
      });
      return payload;
    } catch (error) {
      throw toSoftwareStatementException(error);
    }
  }

  /**
   * An RFC 7592 update re-sends the statement the client was registered with
   * (it is part of the echoed metadata): that is not a replay.
   */
  private isRegisteredWith(statement: string, context: RegistrationContext): boolean {
    return context.existingClient?.metadata.software_statement === statement;
  }

  /** Remembers `iss` + `jti` in the store until the statement could no longer be accepted. */
  private async rejectReplay(claims: JWTPayload): Promise<void> {
    const { iss, jti } = claims;
    if (typeof jti !== 'string' || jti === '') {
      throw DcrException.invalidSoftwareStatement('the software statement lacks a "jti" claim');
    }
    // The id is stored as text: PostgreSQL refuses U+0000 and would mangle a lone surrogate.
    if (holdsUnstorable(jti) || holdsUnstorable(iss ?? '')) {
      throw DcrException.invalidSoftwareStatement(
        "the software statement's jti or iss is not text",
      );
    }
    const tolerance = this.settings.clockToleranceSeconds;
    const maxAge = this.settings.maxAgeSeconds;
    const lastAccepted = Math.min(
      claims.exp === undefined ? Infinity : claims.exp + tolerance,
      maxAge === undefined || claims.iat === undefined ? Infinity : claims.iat + maxAge + tolerance,
    );
    if (lastAccepted === Infinity) {
      throw DcrException.invalidSoftwareStatement(
        'the software statement lacks an "exp" claim, needed to protect it against replay',
      );
    }
    const now = Math.floor(Date.now() / 1000);
    const key = `${encodeURIComponent(iss ?? '')}|${jti}`;
    if (!(await this.store.rememberSoftwareStatementId(key, Math.ceil(lastAccepted), now))) {
      throw DcrException.invalidSoftwareStatement('the software statement was already used');
    }
  }
}

/** The claims that describe the client: those the metadata validator merges over the body. */
function metadataClaims(claims: JWTPayload): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !STATEMENT_CLAIMS.has(name)));
}
