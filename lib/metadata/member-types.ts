import type { MemberRule } from './client-metadata.rules.js';
import { invalidMember, quote } from './invalid-member.js';

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** C0 controls and DEL: never part of a name or URI, and PostgreSQL's jsonb can't hold U+0000. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F]/;

/**
 * A UTF-16 surrogate not part of a pair: no Unicode text holds one, and
 * PostgreSQL's jsonb refuses it (`invalid input syntax for type json`). With
 * the `u` flag a well-formed pair is one code point and does not match.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Either of the two above, in one scan. */
// eslint-disable-next-line no-control-regex
const CONTROL_OR_LONE_SURROGATE = /[\u0000-\u001F\u007F\uD800-\uDFFF]/u;

/** What no stored string may hold: U+0000 and lone surrogates (jsonb can store neither). */
export function holdsUnstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** A JWK Set nests 3 levels (set, keys, key); deeper objects are refused before anything recurses. */
export const MAX_OBJECT_DEPTH = 16;

/**
 * Why a JSON object member can't be stored, if it can't: too deep (a deep
 * enough value overflows the stack of every recursive walk, PostgreSQL's
 * included), or a string or key holding what jsonb refuses. Iterative, so a
 * hostile value can't overflow the stack here.
 */
function objectProblem(value: object): string | undefined {
  const pending: [item: unknown, depth: number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item === 'string') {
      if (holdsUnstorable(item))
        return 'must not contain the NUL character or a lone UTF-16 surrogate';
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth > MAX_OBJECT_DEPTH) return `must not nest deeper than ${MAX_OBJECT_DEPTH} levels`;
    for (const [key, child] of Object.entries(item)) {
      if (holdsUnstorable(key))
        return 'must not contain the NUL character or a lone UTF-16 surrogate';
      pending.push([child, depth + 1]);
    }
  }
  return undefined;
}

const NOT_TEXT = 'must be Unicode text (no lone UTF-16 surrogate)';

/** Up to this length a linear scan beats building a Set; above it, a Set keeps the work linear. */
const SCAN_LIMIT = 16;

/** A copy without exact duplicates, order kept. */
function withoutDuplicates(values: readonly string[]): string[] {
  if (values.length > SCAN_LIMIT) return [...new Set(values)];
  const kept: string[] = [];
  for (const value of values) if (!kept.includes(value)) kept.push(value);
  return kept;
}

/**
 * Checks a member's JSON type against its rule and returns the value to
 * register: arrays are copied with exact duplicates dropped (order kept).
 */
export function readMember(member: string, rule: MemberRule, value: unknown): unknown {
  switch (rule.type) {
    case 'string':
      if (!isNonEmptyString(value)) throw invalidMember(member, 'must be a non-empty string');
      if (CONTROL_OR_LONE_SURROGATE.test(value)) {
        if (CONTROL_CHARACTER.test(value)) {
          throw invalidMember(member, 'must not contain control characters');
        }
        throw invalidMember(member, NOT_TEXT);
      }
      if (rule.oneOf && !rule.oneOf.includes(value)) {
        throw invalidMember(member, `must be one of ${rule.oneOf.join(', ')}, not ${quote(value)}`);
      }
      return value;
    case 'string[]': {
      if (!Array.isArray(value))
        throw invalidMember(member, 'must be an array of non-empty strings');
      // One pass: the type of every item first decides; then control characters, then surrogates.
      let suspect = false;
      for (const item of value) {
        if (!isNonEmptyString(item)) {
          throw invalidMember(member, 'must be an array of non-empty strings');
        }
        suspect ||= CONTROL_OR_LONE_SURROGATE.test(item);
      }
      if (suspect) {
        if (value.some((item: string) => CONTROL_CHARACTER.test(item))) {
          throw invalidMember(member, 'must not contain control characters');
        }
        throw invalidMember(member, NOT_TEXT);
      }
      return withoutDuplicates(value as string[]);
    }
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw invalidMember(member, 'must be a JSON object');
      }
      {
        const problem = objectProblem(value);
        if (problem !== undefined) throw invalidMember(member, problem);
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
