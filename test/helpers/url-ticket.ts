/**
 * A URL with a ticket for `path` (POST /api/auth/tickets): what a browser puts
 * where it cannot send the Authorization header. `use: 'socket'` for a
 * WebSocket (ws:// URL, one use).
 */
export async function ticketUrl(baseUrl: string, token: string, path: string, use: 'download' | 'socket' = 'download', query = ''): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ path, use }),
  });
  if (response.status !== 201) throw new Error(`no ticket for ${path}: ${response.status} ${await response.text()}`);
  const { url } = (await response.json()) as { url: string };
  const base = use === 'socket' ? baseUrl.replace(/^http/, 'ws') : baseUrl;
  return `${base}${url}${query ? `&${query}` : ''}`;
}
