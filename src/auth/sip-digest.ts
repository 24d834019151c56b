import { createHash } from 'node:crypto';

/** RFC 2617 §3.2.2.2 HA1 = MD5(username ":" realm ":" password): what the registrar stores instead of a password. */
export function sipHa1(username: string, realm: string, password: string): string {
  return createHash('md5').update(`${username}:${realm}:${password}`).digest('hex');
}
