/** The web login brute-force attempt: wrong passwords back to back, then the right one, all from one client. */
import type { HttpFuzzClient } from './http-fuzz';
import { COMMON_PASSWORDS } from './sip-dictionaries';
import type { LoginAttempt } from './verdict';

export async function loginBurst(client: HttpFuzzClient, username: string, rightPassword: string, wrongCount = 12): Promise<LoginAttempt[]> {
  const attempts: LoginAttempt[] = [];
  const wrong = COMMON_PASSWORDS.filter((p) => p !== rightPassword).slice(0, wrongCount);
  for (const [kind, password] of [...wrong.map((p) => ['wrong', p] as const), ['right', rightPassword] as const]) {
    try {
      const answer = await client.json<{ error?: { code?: string } }>('POST', '/api/auth/login', { username, password });
      const retryAfter = answer.headers['retry-after'];
      attempts.push({
        password: kind, status: answer.status,
        ...(answer.body?.error?.code ? { code: answer.body.error.code } : {}),
        retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
      });
    } catch {
      attempts.push({ password: kind, status: null });
    }
  }
  return attempts;
}
