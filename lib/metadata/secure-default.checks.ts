import type { ResolvedDcrOptions } from '../dcr.options.js';
import type { RegistrationContext } from '../registration/registration-context.js';
import type { ClientMetadata } from './client-metadata.js';
import type { MetadataRules } from './client-metadata.rules.js';
import { invalidMember } from './invalid-member.js';
import {
  INVISIBLE_CONTROL,
  LENGTH_CAP_LIMIT,
  MEMBER_LIMIT_RULES,
  type MemberLimitRule,
} from './member-limits.rules.js';

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

function limitRuleOf(member: string, rules: MetadataRules): MemberLimitRule {
  const listed = Object.hasOwn(MEMBER_LIMIT_RULES, member) ? MEMBER_LIMIT_RULES[member] : undefined;
  return listed ?? { length: Object.hasOwn(rules, member) && rules[member]?.uri ? 'uri' : 'text' };
}

/** Length in code points; the UTF-16 length bounds it from above, so most strings need no count. */
function longerThan(text: string, max: number): boolean {
  return text.length > max && text.replace(SURROGATE_PAIR, '_').length > max;
}

/**
 * Every string (and array item) within its cap, arrays within `arrayItems`,
 * and no invisible or bidi control in a display member (language-tagged
 * variants included).
 */
export function checkMemberLimits(
  metadata: ClientMetadata,
  rules: MetadataRules,
  options: ResolvedDcrOptions,
): void {
  const limits = options.metadataLimits;
  for (const key of Object.keys(metadata)) {
    const value = (metadata as Record<string, unknown>)[key];
    const hash = key.indexOf('#');
    const rule = limitRuleOf(hash === -1 ? key : key.slice(0, hash), rules);
    if (key === 'jwks') {
      const keys = (value as { keys?: unknown }).keys;
      if (Array.isArray(keys) && keys.length > limits.arrayItems) {
        throw invalidMember(key, `must hold at most ${limits.arrayItems} keys`);
      }
      continue;
    }
    let items: readonly unknown[];
    if (Array.isArray(value)) {
      if (value.length > limits.arrayItems) {
        throw invalidMember(key, `must hold at most ${limits.arrayItems} items`);
      }
      items = value;
    } else items = [value];
    const max = limits[LENGTH_CAP_LIMIT[rule.length]];
    for (const item of items) {
      if (typeof item !== 'string') continue;
      if (longerThan(item, max)) throw invalidMember(key, `must be at most ${max} characters`);
      if (rule.display && INVISIBLE_CONTROL.test(item)) {
        throw invalidMember(
          key,
          'must not contain invisible or bidirectional control characters (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069)',
        );
      }
    }
  }
}

/**
 * RFC 7592 update: moving a client that authenticates to `none` drops its
 * secret and makes it public (indigo-iam's advisory); only an option allows it.
 */
export function checkAuthMethodChange(
  metadata: ClientMetadata,
  context: RegistrationContext,
  options: ResolvedDcrOptions,
): void {
  const before = context.existingClient?.metadata.token_endpoint_auth_method;
  if (
    before !== undefined &&
    before !== 'none' &&
    metadata.token_endpoint_auth_method === 'none' &&
    !options.allowAuthMethodNoneOnUpdate
  ) {
    throw invalidMember(
      'token_endpoint_auth_method',
      `may not change from ${before} to none in an update (set allowAuthMethodNoneOnUpdate to allow it)`,
    );
  }
}
