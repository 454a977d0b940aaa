import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import { DEFAULT_METADATA_LIMITS, type MetadataLimits } from './member-limits.rules.js';

const OPTION = 'metadataLimits';

/** Defaults and checks `metadataLimits`: each cap a positive integer, no unknown names. */
export function resolveMetadataLimits(value: unknown): Readonly<MetadataLimits> {
  if (value === undefined) return DEFAULT_METADATA_LIMITS;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DcrConfigurationError(OPTION, 'must be an object');
  }
  const input = value as Record<string, unknown>;
  const unknown = Object.keys(input).find((key) => !Object.hasOwn(DEFAULT_METADATA_LIMITS, key));
  if (unknown !== undefined) {
    throw new DcrConfigurationError(`${OPTION}.${unknown}`, 'is not a metadata limit');
  }
  const limits = { ...DEFAULT_METADATA_LIMITS };
  for (const name of Object.keys(limits) as (keyof MetadataLimits)[]) {
    const cap = input[name] ?? limits[name];
    if (!Number.isSafeInteger(cap) || (cap as number) < 1) {
      throw new DcrConfigurationError(`${OPTION}.${name}`, 'must be a positive integer');
    }
    limits[name] = cap as number;
  }
  return limits;
}
