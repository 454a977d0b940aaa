import { createHash } from 'node:crypto';
import { PAGE_STYLE } from './views/page-style.js';

/** The pages' only stylesheet, allowed by its hash: no inline script, no other inline style. */
export const PAGE_STYLE_SOURCE = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

/** Scheme-only source for a private-use scheme, or the origin of an http(s) URL. */
const SCHEME = /^[a-z][a-z0-9+.-]*:$/;
const ORIGIN = /^https?:\/\/[A-Za-z0-9.\-[\]:]+$/;

/**
 * The CSP source that lets a form's redirect chain end at `url`: browsers
 * apply form-action to the redirects that follow a submission, and the last
 * one goes to the client's redirect URI. Undefined for anything unexpected.
 */
export function formTargetSource(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    return ORIGIN.test(parsed.origin) ? parsed.origin : undefined;
  }
  return SCHEME.test(parsed.protocol) ? parsed.protocol : undefined;
}

/** The policy of every HTML page the host renders (sign-in, consent, sign-out, errors). */
export function pageContentSecurityPolicy(
  formTargets: readonly (string | undefined)[] = [],
): string {
  const targets = formTargets.filter((target): target is string => target !== undefined);
  return [
    "default-src 'none'",
    // oidc-provider adds the hash of its form_post auto-submit script here when it renders one.
    "script-src 'none'",
    `style-src ${PAGE_STYLE_SOURCE}`,
    "img-src 'self'",
    `form-action 'self'${targets.map((target) => ` ${target}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Headers of a rendered page: its CSP, no framing, no caching, no referrer (the URL holds the uid). */
export function pageHeaders(
  formTargets: readonly (string | undefined)[] = [],
): Record<string, string> {
  return {
    'content-security-policy': pageContentSecurityPolicy(formTargets),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/** Adds sources to form-action (once each). */
export function withFormTargets(policy: string, targets: readonly (string | undefined)[]): string {
  return policy
    .split(';')
    .map((directive) => {
      const [name, ...values] = directive.trim().split(/\s+/);
      if (name !== 'form-action') return directive.trim();
      const added = targets.filter(
        (target): target is string => target !== undefined && !values.includes(target),
      );
      return [name, ...values, ...new Set(added)].join(' ');
    })
    .join('; ');
}

/**
 * oidc-provider's inline auto-submit script (form_post) arrives as a hash
 * appended to script-src; with a hash present, 'none' must go.
 */
export function withoutNoneBesideHashes(policy: string): string {
  return policy
    .split(';')
    .map((directive) => {
      const [name, ...values] = directive.trim().split(/\s+/);
      if (name !== 'script-src' || values.length < 2) return directive.trim();
      return [name, ...values.filter((value) => value !== "'none'")].join(' ');
    })
    .join('; ');
}
