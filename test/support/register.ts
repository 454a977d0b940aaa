/** What a registration request got back. */
export interface RegistrationReply {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

/** A small valid registration for a web client. */
export const MINIMAL_REGISTRATION = {
  redirect_uris: ['https://app.example.com/cb'],
  client_name: 'Test client',
};

/**
 * POSTs `metadata` as JSON (a string is sent as it is) to the registration
 * endpoint at `url`, with `authorization` as the Authorization header when given.
 */
export async function register(
  url: string,
  metadata: unknown = MINIMAL_REGISTRATION,
  authorization?: string,
): Promise<RegistrationReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization !== undefined && { authorization }),
    },
    body: typeof metadata === 'string' ? metadata : JSON.stringify(metadata),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}
