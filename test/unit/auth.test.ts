import { hashPassword, verifyPassword } from '../../src/auth/password-hash';
import { sipHa1 } from '../../src/auth/sip-digest';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one; never stores the password', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain('correct horse');
    await expect(verifyPassword('correct horse', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horsf', stored)).resolves.toBe(false);
  });

  it('salts: the same password hashes differently twice', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    await expect(verifyPassword('x', 'plain-text')).resolves.toBe(false);
  });
});

describe('SIP digest HA1', () => {
  it('matches the RFC 2617 example credentials', () => {
    // RFC 2617 §3.5: Mufasa / testrealm@host.com / Circle Of Life
    expect(sipHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life')).toBe('939e7578ed9e3c518a452acee763bce9');
  });
});
