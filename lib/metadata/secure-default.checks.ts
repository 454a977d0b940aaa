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

/** The rules of members MEMBER_LIMIT_RULES does not list, shared (no object per member). */
const URI_LIMIT_RULE: MemberLimitRule = { length: 'uri' };
const TEXT_LIMIT_RULE: MemberLimitRule = { length: 'text' };

function limitRuleOf(member: string, rules: MetadataRules): MemberLimitRule {
  const listed = Object.hasOwn(MEMBER_LIMIT_RULES, member) ? MEMBER_LIMIT_RULES[member] : undefined;
  if (listed) return listed;
  return Object.hasOwn(rules, member) && rules[member]?.uri ? URI_LIMIT_RULE : TEXT_LIMIT_RULE;
}

/** Length in code points; the UTF-16 length bounds it from above, so most strings need no count. */
function longerThan(text: string, max: number): boolean {
  return text.length > max && text.replace(SURROGATE_PAIR, '_').length > max;
}

/** One string of member `key` (its value or an array item) against its cap and, for a display member, controls. */
function checkText(key: string, text: string, max: number, display: boolean): void {
  if (longerThan(text, max)) throw invalidMember(key, `must be at most ${max} characters`);
  if (display && INVISIBLE_CONTROL.test(text)) {
    throw invalidMember(
      key,
      'must not contain invisible or bidirectional control characters (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069)',
    );
  }
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
    if (key === 'jwks') {
      const keys = (value as { keys?: unknown }).keys;
      if (Array.isArray(keys) && keys.length > limits.arrayItems) {
        throw invalidMember(key, `must hold at most ${limits.arrayItems} keys`);
      }
      continue;
    }
    const isArray = Array.isArray(value);
    if (isArray && value.length > limits.arrayItems) {
      throw invalidMember(key, `must hold at most ${limits.arrayItems} items`);
    }
    // Booleans, integers and objects have no cap: no rule to look up.
    if (!isArray && typeof value !== 'string') continue;
    const hash = key.indexOf('#');
    const rule = limitRuleOf(hash === -1 ? key : key.slice(0, hash), rules);
    const max = limits[LENGTH_CAP_LIMIT[rule.length]];
    const display = rule.display === true;
    if (!isArray) checkText(key, value as string, max, display);
    else for (const item of value) if (typeof item === 'string') checkText(key, item, max, display);
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
