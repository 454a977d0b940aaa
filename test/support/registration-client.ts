/** POSTs a small valid registration to `url`, with `authorization` when given. */
export async function register(
  url: string,
  authorization?: string,
  body: Record<string, unknown> = { redirect_uris: ['https://app.example.com/cb'] },
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization !== undefined && { authorization }),
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}
