import type { MemberRule } from './client-metadata.rules.js';
import { invalidMember, quote } from './invalid-member.js';

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Checks a member's JSON type against its rule and returns the value to
 * register: arrays are copied with exact duplicates dropped (order kept).
 */
export function readMember(member: string, rule: MemberRule, value: unknown): unknown {
  switch (rule.type) {
    case 'string':
      if (!isNonEmptyString(value)) throw invalidMember(member, 'must be a non-empty string');
      if (rule.oneOf && !rule.oneOf.includes(value)) {
        throw invalidMember(member, `must be one of ${rule.oneOf.join(', ')}, not ${quote(value)}`);
      }
      return value;
    case 'string[]':
      if (!Array.isArray(value) || !value.every(isNonEmptyString)) {
        throw invalidMember(member, 'must be an array of non-empty strings');
      }
      return [...new Set(value)];
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw invalidMember(member, 'must be a JSON object');
      }
      return value;
    case 'integer':
      if (!Number.isSafeInteger(value) || (value as number) < (rule.minimum ?? -Infinity)) {
        throw invalidMember(
          member,
          rule.minimum === undefined
            ? 'must be an integer'
            : `must be an integer >= ${rule.minimum}`,
        );
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidMember(member, 'must be true or false');
      return value;
  }
}
