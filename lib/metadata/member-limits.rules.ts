/**
 * Length caps and display rules as data (issue 15): which cap each member's
 * strings fall under and which members a consent page shows. Members not
 * listed take the `uri` cap when their rule names a URI kind, `text` otherwise.
 */

/** Which cap of MetadataLimits a string member's value (or each array item) is held to. */
export type LengthCap = 'name' | 'uri' | 'text';

export interface MemberLimitRule {
  readonly length: LengthCap;
  /** Shown to users (consent pages, admin screens): invisible and bidi controls are refused. */
  readonly display?: true;
}

export const MEMBER_LIMIT_RULES: Readonly<Record<string, MemberLimitRule>> = {
  client_name: { length: 'name', display: true },
  software_id: { length: 'name', display: true },
  software_version: { length: 'name', display: true },
  client_uri: { length: 'uri', display: true },
  logo_uri: { length: 'uri', display: true },
  policy_uri: { length: 'uri', display: true },
  tos_uri: { length: 'uri', display: true },
  contacts: { length: 'text', display: true },
};

/** Caps on what a client may register; each is an option (`metadataLimits`). */
export interface MetadataLimits {
  /** Characters in a name-like member (client_name, software_id, software_version). */
  nameLength: number;
  /** Characters in a URI member (redirect_uris items, client_uri, jwks_uri, ...). */
  uriLength: number;
  /** Characters in any other string member or array item (scope, contacts, ...). */
  textLength: number;
  /** Items in an array member (redirect_uris, contacts, grant_types, ...) and keys in jwks. */
  arrayItems: number;
}

export const DEFAULT_METADATA_LIMITS: Readonly<MetadataLimits> = {
  nameLength: 200,
  uriLength: 2000,
  textLength: 2000,
  arrayItems: 100,
};

/** MetadataLimits' member for each cap. */
export const LENGTH_CAP_LIMIT: Readonly<Record<LengthCap, keyof MetadataLimits>> = {
  name: 'nameLength',
  uri: 'uriLength',
  text: 'textLength',
};

/**
 * Bidirectional embeddings and overrides (U+202A–U+202E), isolates
 * (U+2066–U+2069), zero-width characters and direction marks (U+200B–U+200F):
 * they make a name display as something other than what is stored.
 */
export const INVISIBLE_CONTROL = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069]/;
