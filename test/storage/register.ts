/** POSTs a minimal valid registration; returns the status and parsed body. */
export async function register(
  url: string,
): Promise<{ status: number; body: Record<string, unknown>; text: string; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: ['https://a.example/cb'], client_name: 'Storage' }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: JSON.parse(text) as Record<string, unknown>,
    text,
    headers: res.headers,
  };
}
