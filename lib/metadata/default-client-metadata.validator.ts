import { Inject, Injectable } from '@nestjs/common';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import { SCOPE_TOKEN, type ResolvedDcrOptions } from '../dcr.options.js';
import type { RegistrationContext } from '../registration/registration-context.js';
import type { RegistrationPolicy } from '../registration/registration-policy.js';
import type { ClientMetadata } from './client-metadata.js';
import {
  CLIENT_METADATA_RULES,
  KEY_AUTH_METHODS,
  LANGUAGE_TAG,
  PRIVATE_JWK_MEMBERS,
  REDIRECT_GRANT_TYPES,
  REFRESHABLE_GRANT_TYPES,
  RESPONSE_TYPE_GRANTS,
  TLS_CLIENT_AUTH_SUBJECT_MEMBERS,
  type MemberRule,
  type MetadataRules,
  type UriKind,
} from './client-metadata.rules.js';
import { ClientMetadataValidator } from './client-metadata.validator.js';
import { invalidMember, quote } from './invalid-member.js';
import { readMember } from './member-types.js';
import { checkHttpsUri, checkRedirectUri, isDeviceRedirectUrl } from './metadata-uris.js';
import { checkAuthMethodChange, checkMemberLimits } from './secure-default.checks.js';

/** The grants some response type needs. */
const RESPONSE_GRANTS: ReadonlySet<string> = new Set(Object.values(RESPONSE_TYPE_GRANTS));

/** Whether `member` holds a value. hasOwn first: V8 reads an absent key slowly (~0.1 µs). */
function isSet(metadata: object, member: string): boolean {
  return (
    Object.hasOwn(metadata, member) && (metadata as Record<string, unknown>)[member] !== undefined
  );
}

/** `derive` of a rule table, computed once per table (a subclass may bring its own table). */
function perRuleTable<T extends object>(derive: (rules: MetadataRules) => T) {
  const derived = new WeakMap<MetadataRules, T>();
  return (rules: MetadataRules): T => {
    let value = derived.get(rules);
    if (!value) {
      value = derive(rules);
      derived.set(rules, value);
    }
    return value;
  };
}

type MemberDefault = [member: string, value: NonNullable<MemberRule['default']>];

/** The members of a rule table that have a default. */
const defaultsOf = perRuleTable((rules): readonly MemberDefault[] =>
  Object.entries(rules).flatMap(([member, rule]): MemberDefault[] =>
    rule.default === undefined ? [] : [[member, rule.default]],
  ),
);

/** The URI members of a rule table and their kinds. */
const uriKindsOf = perRuleTable(
  (rules): ReadonlyMap<string, UriKind> =>
    new Map(
      Object.entries(rules).flatMap(([member, rule]): [string, UriKind][] =>
        rule.uri === undefined ? [] : [[member, rule.uri]],
      ),
    ),
);

/**
 * The RFC 7591 / OIDC DCR rules: a fixed sequence of small steps over the
 * rule table. Each step is protected so a subclass can replace one (e.g. a
 * stricter validateRedirectUris) and call `super` for the rest; each failure
 * is a DcrException naming the member (see invalidMember).
 */
@Injectable()
export class DefaultClientMetadataValidator extends ClientMetadataValidator {
  /** The members this validator registers; a subclass may extend the table. */
  protected readonly rules: MetadataRules = CLIENT_METADATA_RULES;

  constructor(@Inject(DCR_OPTIONS) protected readonly options: ResolvedDcrOptions) {
    super();
  }

  async validate(context: RegistrationContext): Promise<ClientMetadata> {
    const metadata = this.applyDefaults(this.readMembers(this.collectInput(context)));
    for (const step of [
      this.validateLimits,
      this.validateGrantTypes,
      this.validateResponseTypes,
      this.validateTokenEndpointAuthMethod,
      this.validateKeys,
      this.validateRedirectUris,
      this.validateUris,
      this.validateScope,
      this.applySoftwareStatement,
    ]) {
      // Awaited only when a step (e.g. a subclass's) is async: each await costs a microtask.
      const pending = step.call(this, metadata, context);
      if (pending) await pending;
    }
    return metadata;
  }

  /** The body, overridden by a verified software statement's claims (RFC 7591 §2.3). */
  protected collectInput(context: RegistrationContext): Readonly<Record<string, unknown>> {
    const claims = context.softwareStatement?.claims;
    // readMembers only reads its input: the body itself serves when nothing overrides it.
    if (!claims) return context.body;
    const input: Record<string, unknown> = { ...context.body };
    for (const [name, value] of Object.entries(claims)) {
      // A claim that counts as absent (`scope: ""`) overrides nothing.
      if (value !== '' || !this.ruleFor(name)?.emptyIsAbsent) input[name] = value;
    }
    return input;
  }

  /**
   * Keeps the members the rule table knows, and language-tagged variants of
   * localizable ones, after checking their JSON types. Unknown members are
   * dropped; null counts as absent (as in an RFC 7592 update), and so does `scope: ""`.
   */
  protected readMembers(input: Readonly<Record<string, unknown>>): Partial<ClientMetadata> {
    const metadata: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      const value = input[key];
      if (value === null || value === undefined) continue;
      const hash = key.indexOf('#');
      const member = hash === -1 ? key : key.slice(0, hash);
      const rule = this.ruleFor(member);
      if (!rule || (value === '' && rule.emptyIsAbsent)) continue;
      if (hash !== -1) {
        if (!rule.localizable) continue;
        if (!LANGUAGE_TAG.test(key.slice(hash + 1))) {
          throw invalidMember(key, 'carries an invalid language tag (RFC 5646)');
        }
      }
      metadata[key] = readMember(key, rule, value);
    }
    return metadata as Partial<ClientMetadata>;
  }

  /**
   * The rule table's defaults for absent members. response_types defaults to
   * [code] only when authorization_code is among the grants, so a
   * client_credentials-only client needs not send `response_types: []`.
   * Fills in the object readMembers built (no copy: nobody else holds it).
   */
  protected applyDefaults(metadata: Partial<ClientMetadata>): ClientMetadata {
    const withDefaults = metadata as Record<string, unknown>;
    for (const [member, value] of defaultsOf(this.rules)) {
      if (isSet(withDefaults, member)) continue;
      withDefaults[member] = Array.isArray(value) ? value.slice() : value;
    }
    const grantTypes = withDefaults.grant_types as string[];
    withDefaults.response_types ??= grantTypes.includes('authorization_code') ? ['code'] : [];
    return withDefaults as ClientMetadata;
  }

  /** Length and size caps (`metadataLimits`); no invisible or bidi controls in display members. */
  protected validateLimits(
    metadata: ClientMetadata,
    _context: RegistrationContext,
  ): void | Promise<void> {
    checkMemberLimits(metadata, this.rules, this.options);
  }

  /** Supported by the server and allowed by every policy; refresh_token only beside a grant it can follow. */
  protected validateGrantTypes(
    metadata: ClientMetadata,
    context: RegistrationContext,
  ): void | Promise<void> {
    const grants = metadata.grant_types;
    if (grants.length === 0) throw invalidMember('grant_types', 'must not be empty');
    for (const grant of grants) {
      this.requireOffered('grant_types', grant, this.options.grantTypes, context, 'grantTypes');
    }
    if (grants.includes('refresh_token') && !grants.some((g) => REFRESHABLE_GRANT_TYPES.has(g))) {
      throw invalidMember(
        'grant_types',
        `may hold refresh_token only together with ${[...REFRESHABLE_GRANT_TYPES].join(' or ')}`,
      );
    }
  }

  /**
   * Each response type is a space-separated set of code / token / id_token,
   * and response types and grant types must agree both ways (RFC 7591 §2.1):
   * code <-> authorization_code, token / id_token <-> implicit.
   */
  protected validateResponseTypes(
    metadata: ClientMetadata,
    _context: RegistrationContext,
  ): void | Promise<void> {
    const usedGrants = new Set<string>();
    for (const responseType of metadata.response_types) {
      const parts = responseType.split(' ');
      if (parts.length > 1 && new Set(parts).size !== parts.length) {
        throw invalidMember('response_types', `holds ${quote(responseType)}: repeated values`);
      }
      for (const part of parts) {
        const grant = Object.hasOwn(RESPONSE_TYPE_GRANTS, part)
          ? RESPONSE_TYPE_GRANTS[part]
          : undefined;
        if (grant === undefined) {
          throw invalidMember(
            'response_types',
            `holds ${quote(responseType)}: not a supported response type`,
          );
        }
        if (!metadata.grant_types.includes(grant)) {
          throw invalidMember(
            'response_types',
            `holds ${quote(responseType)}, which needs the ${grant} grant in grant_types`,
          );
        }
        usedGrants.add(grant);
      }
    }
    const unused = metadata.grant_types.find((g) => RESPONSE_GRANTS.has(g) && !usedGrants.has(g));
    if (unused !== undefined) {
      throw invalidMember('response_types', `must hold a response type for the ${unused} grant`);
    }
  }

  /**
   * Supported and allowed; never `none` for client_credentials (a public
   * client cannot authenticate itself); tls_client_auth names exactly one
   * certificate subject (RFC 8705 §2.1.2), which other methods do not register.
   */
  protected validateTokenEndpointAuthMethod(
    metadata: ClientMetadata,
    context: RegistrationContext,
  ): void | Promise<void> {
    const method = metadata.token_endpoint_auth_method;
    this.requireOffered(
      'token_endpoint_auth_method',
      method,
      this.options.tokenEndpointAuthMethods,
      context,
      'tokenEndpointAuthMethods',
    );
    checkAuthMethodChange(metadata, context, this.options);
    if (method === 'none' && metadata.grant_types.includes('client_credentials')) {
      throw invalidMember(
        'token_endpoint_auth_method',
        'must not be none for the client_credentials grant',
      );
    }
    if (method !== 'tls_client_auth') {
      for (const member of TLS_CLIENT_AUTH_SUBJECT_MEMBERS) {
        if (isSet(metadata, member)) delete metadata[member];
      }
    } else if (TLS_CLIENT_AUTH_SUBJECT_MEMBERS.filter((m) => isSet(metadata, m)).length !== 1) {
      throw invalidMember(
        'token_endpoint_auth_method',
        `tls_client_auth needs exactly one of ${TLS_CLIENT_AUTH_SUBJECT_MEMBERS.join(', ')}`,
      );
    }
  }

  /** jwks xor jwks_uri; jwks a set of public keys; key-based auth methods need one of them. */
  protected validateKeys(
    metadata: ClientMetadata,
    _context: RegistrationContext,
  ): void | Promise<void> {
    if (metadata.jwks !== undefined && metadata.jwks_uri !== undefined) {
      throw invalidMember('jwks', 'must not be sent together with jwks_uri');
    }
    if (metadata.jwks !== undefined) this.checkPublicJwks(metadata.jwks);
    const method = metadata.token_endpoint_auth_method;
    if (KEY_AUTH_METHODS.has(method) && !metadata.jwks && !metadata.jwks_uri) {
      throw invalidMember('token_endpoint_auth_method', `${method} needs jwks or jwks_uri`);
    }
  }

  /**
   * Required for redirect-based grants; each one checked against the
   * application type. A `web` client whose every redirect URI reaches only the
   * user's device (a private-use scheme, or http on loopback) is a native app
   * in all but name (RFC 8252 §7): it is registered, and echoed, as `native`,
   * so the native rules, and the loopback port exception (§7.3), apply to it.
   */
  protected validateRedirectUris(
    metadata: ClientMetadata,
    _context: RegistrationContext,
  ): void | Promise<void> {
    const uris = metadata.redirect_uris ?? [];
    if (uris.length === 0 && metadata.grant_types.some((g) => REDIRECT_GRANT_TYPES.has(g))) {
      throw invalidMember(
        'redirect_uris',
        `are required for the ${[...REDIRECT_GRANT_TYPES].join(' and ')} grants`,
      );
    }
    // Each URI parsed once, for the device test and for its own check.
    const urls = uris.map((uri) => URL.parse(uri));
    if (metadata.application_type === 'web' && uris.length > 0 && urls.every(isDeviceRedirectUrl)) {
      metadata.application_type = 'native';
    }
    uris.forEach((uri, i) =>
      checkRedirectUri('redirect_uris', uri, metadata.application_type, urls[i]),
    );
  }

  /** Every other URI member (language-tagged ones too), by the kind its rule names. */
  protected validateUris(
    metadata: ClientMetadata,
    _context: RegistrationContext,
  ): void | Promise<void> {
    const uriKinds = uriKindsOf(this.rules);
    for (const key of Object.keys(metadata)) {
      if (key === 'redirect_uris') continue;
      const hash = key.indexOf('#');
      const kind = uriKinds.get(hash === -1 ? key : key.slice(0, hash));
      if (kind === undefined) continue;
      const value = (metadata as Record<string, unknown>)[key];
      for (const uri of Array.isArray(value) ? (value as string[]) : [value as string]) {
        if (kind === 'https') checkHttpsUri(key, uri);
        else checkRedirectUri(key, uri, metadata.application_type);
      }
    }
  }

  /**
   * A space-delimited list of scope-tokens, each allowed by the options and
   * every policy (duplicates dropped). Without one, the default scopes the
   * policies allow.
   */
  protected validateScope(
    metadata: ClientMetadata,
    context: RegistrationContext,
  ): void | Promise<void> {
    const policies = this.policies(context);
    if (metadata.scope === undefined) {
      const defaults = this.options.defaultScopes.filter((scope) =>
        policies.every((policy) => policy.scopes?.includes(scope) ?? true),
      );
      if (defaults.length > 0) metadata.scope = defaults.join(' ');
      return;
    }
    const scopes = metadata.scope.split(' ');
    for (const scope of scopes) {
      if (!SCOPE_TOKEN.test(scope)) {
        throw invalidMember(
          'scope',
          `must be scope-tokens separated by single spaces; ${quote(scope)} is not one`,
        );
      }
      this.requireOffered('scope', scope, this.options.allowedScopes, context, 'scopes');
    }
    metadata.scope = [...new Set(scopes)].join(' ');
  }

  /** A verified statement is registered (and so echoed) as sent; an unverified one never is. */
  protected applySoftwareStatement(
    metadata: ClientMetadata,
    context: RegistrationContext,
  ): void | Promise<void> {
    if (context.softwareStatement)
      metadata.software_statement = context.softwareStatement.statement;
  }

  /** Policies bound to the caller's credential and, on an RFC 7592 update, to the client. */
  protected policies(context: RegistrationContext): RegistrationPolicy[] {
    return [context.caller?.policy, context.existingClient?.policy].filter(
      (policy): policy is RegistrationPolicy => policy !== undefined,
    );
  }

  /** `value` must be among `offered` (undefined: anything) and allowed by every policy. */
  protected requireOffered(
    member: string,
    value: string,
    offered: readonly string[] | ReadonlySet<string> | undefined,
    context: RegistrationContext,
    policyKey: keyof RegistrationPolicy,
  ): void {
    const supported =
      offered === undefined ||
      ('has' in offered ? offered.has(value) : (offered as readonly string[]).includes(value));
    if (!supported) {
      throw invalidMember(member, `holds ${quote(value)}, which this server does not support`);
    }
    for (const policy of this.policies(context)) {
      const allowed = policy[policyKey];
      if (allowed && !allowed.includes(value)) {
        throw invalidMember(member, `holds ${quote(value)}, which this registration may not use`);
      }
    }
  }

  /** A JWK Set (RFC 7517 §5) of public keys: no private or symmetric key material. */
  protected checkPublicJwks(jwks: object): void {
    const keys = (jwks as { keys?: unknown }).keys;
    if (!Array.isArray(keys) || keys.length === 0) {
      throw invalidMember('jwks', 'must be a JWK Set with a non-empty keys array');
    }
    for (const key of keys) {
      if (key === null || typeof key !== 'object' || Array.isArray(key)) {
        throw invalidMember('jwks', 'keys must be JSON objects');
      }
      if (typeof (key as { kty?: unknown }).kty !== 'string') {
        throw invalidMember('jwks', 'keys must each have a kty');
      }
      const secret = PRIVATE_JWK_MEMBERS.find((member) => Object.hasOwn(key, member));
      if (secret !== undefined) {
        throw invalidMember('jwks', `must hold public keys only (a key has "${secret}")`);
      }
    }
  }

  protected ruleFor(member: string): MemberRule | undefined {
    return Object.hasOwn(this.rules, member) ? this.rules[member] : undefined;
  }
}
