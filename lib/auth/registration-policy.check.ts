import type { ResolvedDcrOptions } from '../dcr.options.js';
import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import type { RegistrationPolicy } from '../registration/registration-policy.js';

const MEMBERS = ['grantTypes', 'scopes', 'tokenEndpointAuthMethods'] as const;

/**
 * A policy may only narrow what the module allows; a policy that grants more
 * would be silently meaningless, so it is refused where it is made.
 */
export function checkRegistrationPolicy(
  name: string,
  policy: unknown,
  options: ResolvedDcrOptions,
): RegistrationPolicy {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
    throw new DcrConfigurationError(name, 'must be an object');
  }
  const input = policy as Record<string, unknown>;
  const allowed: Record<(typeof MEMBERS)[number], ReadonlySet<string> | undefined> = {
    grantTypes: new Set(options.grantTypes),
    scopes: options.allowedScopes,
    tokenEndpointAuthMethods: new Set(options.tokenEndpointAuthMethods),
  };
  const checked: RegistrationPolicy = {};
  for (const member of MEMBERS) {
    const value = input[member];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
      throw new DcrConfigurationError(`${name}.${member}`, 'must be an array of non-empty strings');
    }
    const outside = (value as string[]).find((item) => allowed[member]?.has(item) === false);
    if (outside !== undefined) {
      throw new DcrConfigurationError(
        `${name}.${member}`,
        `holds "${outside}", which the module does not allow`,
      );
    }
    checked[member] = [...new Set(value as string[])];
  }
  return checked;
}
