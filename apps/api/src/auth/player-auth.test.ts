import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import {
  createAuthenticator,
  jwtAuthenticator,
  type PlayerAuthenticator,
  verifiedTokenCache,
} from './player-auth.ts';

type SigningKey = Parameters<SignJWT['sign']>[0];

/** A real signed token; `omit` leaves out exp or sub to check they are required. */
const sign = (key: SigningKey, alg: string, omit: 'exp' | 'sub' | 'none' = 'none') => {
  const token = new SignJWT({}).setProtectedHeader({ alg, kid: 'k1' }).setIssuedAt();
  if (omit !== 'sub') token.setSubject('player-42');
  if (omit !== 'exp') token.setExpirationTime('5m');
  return token.sign(key);
};

const jwtEnv = (vars: Record<string, string>) => parseEnv({ AUTH_MODE: 'jwt', ...vars });

/** Good token → the player; the same key without exp or without sub → UNAUTHENTICATED. */
async function expectExpAndSubRequired(auth: PlayerAuthenticator, key: SigningKey, alg: string) {
  const bearer = async (omit: 'exp' | 'sub' | 'none') => ({
    authorization: `Bearer ${await sign(key, alg, omit)}`,
  });
  await expect(auth.authenticate(await bearer('none'))).resolves.toBe('player-42');
  await expect(auth.authenticate(await bearer('exp'))).rejects.toMatchObject({
    code: 'UNAUTHENTICATED',
    message: 'invalid token: missing required "exp" claim',
  });
  await expect(auth.authenticate(await bearer('sub'))).rejects.toMatchObject({
    code: 'UNAUTHENTICATED',
    message: 'invalid token: missing required "sub" claim',
  });
}

describe('player authentication', () => {
  it('mock mode takes the user id from x-mock-user-id and refuses empty ids', async () => {
    const auth = await createAuthenticator(parseEnv({ AUTH_MODE: 'mock' }));
    await expect(auth.authenticate({ mockUserId: 'p1' })).resolves.toBe('p1');
    await expect(auth.authenticate({ mockUserId: '' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(auth.authenticate({})).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'missing credentials',
    });
    await expect(auth.authenticate({ mockUserId: '  ' })).rejects.toMatchObject({
      message: 'missing credentials',
    });
    // 128 characters is the longest id.
    await expect(auth.authenticate({ mockUserId: 'x'.repeat(128) })).resolves.toHaveLength(128);
    await expect(auth.authenticate({ mockUserId: 'x'.repeat(129) })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'user id is too long',
    });
  });

  it('reads only a well-formed "Bearer <token>" header', async () => {
    const secret = 'bearer-secret-bearer-secret-bearer-secret';
    const auth = await createAuthenticator(jwtEnv({ JWT_SECRET: secret }));
    const token = await sign(new TextEncoder().encode(secret), 'HS256');
    await expect(auth.authenticate({ authorization: `Bearer ${token}` })).resolves.toBe(
      'player-42',
    );
    await expect(auth.authenticate({ authorization: `bearer  ${token}` })).resolves.toBe(
      'player-42',
    );
    for (const authorization of [
      undefined,
      '',
      `Basic ${token}`,
      `xBearer ${token}`,
      `Bearer ${token} x`,
    ]) {
      await expect(auth.authenticate({ authorization })).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
        message: 'missing bearer token',
      });
    }
    // A bad signature says no more than that.
    await expect(auth.authenticate({ authorization: 'Bearer a.b.c' })).rejects.toMatchObject({
      message: 'invalid token',
    });
  });

  it('accepts only the configured algorithms: HS256 by default, a trimmed list when set', async () => {
    const secret = 'alg-secret-alg-secret-alg-secret-alg-secret-alg-secret-64bytes!!';
    const key = new TextEncoder().encode(secret);
    const hs384 = `Bearer ${await sign(key, 'HS384')}`;
    const byDefault = await createAuthenticator(jwtEnv({ JWT_SECRET: secret }));
    await expect(byDefault.authenticate({ authorization: hs384 })).rejects.toMatchObject({
      message: 'invalid token',
    });
    const listed = await createAuthenticator(
      jwtEnv({ JWT_SECRET: secret, JWT_ALGORITHMS: 'HS256, HS384' }),
    );
    await expect(listed.authenticate({ authorization: hs384 })).resolves.toBe('player-42');
  });

  it('checks the audience when one is configured', async () => {
    const secret = 'aud-secret-aud-secret-aud-secret-aud-secret';
    const key = new TextEncoder().encode(secret);
    const auth = await createAuthenticator(jwtEnv({ JWT_SECRET: secret, JWT_AUDIENCE: 'game' }));
    const token = (aud: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('p9')
        .setAudience(aud)
        .setExpirationTime('1m')
        .sign(key);
    await expect(
      auth.authenticate({ authorization: `Bearer ${await token('game')}` }),
    ).resolves.toBe('p9');
    await expect(
      auth.authenticate({ authorization: `Bearer ${await token('other')}` }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/aud/) });
  });

  it('HS256 secret: sub is the user id; wrong secret, expiry, issuer → 401', async () => {
    const secret = new TextEncoder().encode('s3cret-s3cret-s3cret-s3cret-s3cret');
    const auth = await createAuthenticator(
      jwtEnv({ JWT_SECRET: 's3cret-s3cret-s3cret-s3cret-s3cret', JWT_ISSUER: 'iam' }),
    );
    const good = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('p7')
      .setIssuer('iam')
      .setExpirationTime('1m')
      .sign(secret);
    await expect(auth.authenticate({ authorization: `Bearer ${good}` })).resolves.toBe('p7');
    const otherIssuer = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('p7')
      .setIssuer('x')
      .setExpirationTime('1m')
      .sign(secret);
    await expect(
      auth.authenticate({ authorization: `Bearer ${otherIssuer}` }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('p7')
      .setIssuer('iam')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    await expect(auth.authenticate({ authorization: `Bearer ${expired}` })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('p7')
      .setIssuer('iam')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode('another-secret-another-secret-xx'));
    await expect(auth.authenticate({ authorization: `Bearer ${forged}` })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(auth.authenticate({ mockUserId: 'p7' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('a token verified once keeps answering until its exp, not after, and never for another token', async () => {
    const secret = 'cache-secret-cache-secret-cache-secret';
    let clock = Date.now();
    const auth = await jwtAuthenticator(jwtEnv({ JWT_SECRET: secret }), () => clock);
    const exp = Math.floor(clock / 1000) + 90;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('p9')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(secret));
    const bearer = { authorization: `Bearer ${token}` };
    await expect(auth.authenticate(bearer)).resolves.toBe('p9');
    // Past the cache's 60 s bound the token is verified again, and still good.
    clock += 61_000;
    await expect(auth.authenticate(bearer)).resolves.toBe('p9');
    clock = exp * 1000 - 1;
    await expect(auth.authenticate(bearer)).resolves.toBe('p9');
    clock = exp * 1000;
    await expect(auth.authenticate(bearer)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // Another token of the same player with a forged signature is not the cached one.
    clock = Date.now();
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    await expect(auth.authenticate({ authorization: `Bearer ${forged}` })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('the verified-token cache holds an entry until exp or its ttl, and empties when full', () => {
    const cache = verifiedTokenCache({ ttlMs: 1_000, maxEntries: 2 });
    cache.set('a', 'pa', 100, 10_000); // exp 100 s: until 11,000 (ttl)
    cache.set('b', 'pb', 10.5, 10_000); // exp 10.5 s: until 10,500 (exp)
    expect(cache.get('a', 10_999)).toBe('pa');
    expect(cache.get('a', 11_000)).toBeUndefined();
    expect(cache.get('b', 10_499)).toBe('pb');
    expect(cache.get('b', 10_500)).toBeUndefined();
    cache.set('c', 'pc', 100, 10_000);
    cache.set('d', 'pd', 100, 10_000);
    cache.set('e', 'pe', 100, 10_000);
    expect(cache.get('c', 10_000)).toBeUndefined();
    expect(cache.get('e', 10_000)).toBe('pe');
  });

  it('HS256 secret: a token without exp or without sub is refused', async () => {
    const secret = 'hs256-secret-hs256-secret-hs256-secret';
    const auth = await createAuthenticator(jwtEnv({ JWT_SECRET: secret }));
    await expectExpAndSubRequired(auth, new TextEncoder().encode(secret), 'HS256');
  });

  describe('PEM public key (RS256)', () => {
    let keys: Awaited<ReturnType<typeof generateKeyPair>>;
    let other: Awaited<ReturnType<typeof generateKeyPair>>;
    // Two RSA key pairs: about a second each, several on a loaded machine, hence in a hook.
    beforeAll(async () => {
      [keys, other] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256')]);
    }, 60_000);
    // Built in each test, not in the hook: mutation testing attributes a hook's coverage to no test.
    const pemAuth = async () =>
      createAuthenticator(jwtEnv({ JWT_PUBLIC_KEY: await exportSPKI(keys.publicKey) }));

    it('verifies tokens of its key only', async () => {
      const auth = await pemAuth();
      await expect(
        auth.authenticate({ authorization: `Bearer ${await sign(keys.privateKey, 'RS256')}` }),
      ).resolves.toBe('player-42');
      await expect(
        auth.authenticate({ authorization: `Bearer ${await sign(other.privateKey, 'RS256')}` }),
      ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it('takes the PEM with its line breaks written as \\n (one-line env files)', async () => {
      const oneLine = (await exportSPKI(keys.publicKey)).replace(/\n/g, '\\n');
      expect(oneLine).not.toContain('\n');
      const auth = await createAuthenticator(jwtEnv({ JWT_PUBLIC_KEY: oneLine }));
      await expect(
        auth.authenticate({ authorization: `Bearer ${await sign(keys.privateKey, 'RS256')}` }),
      ).resolves.toBe('player-42');
    });

    it('refuses a token without exp or without sub', async () => {
      await expectExpAndSubRequired(await pemAuth(), keys.privateKey, 'RS256');
    });
  });

  describe('JWKS URL', () => {
    let server: Server;
    let url: string;
    let keys: Awaited<ReturnType<typeof generateKeyPair>>;
    let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
    let es384: Awaited<ReturnType<typeof generateKeyPair>>;
    beforeAll(async () => {
      [keys, rsa, es384] = await Promise.all([
        generateKeyPair('ES256'),
        generateKeyPair('RS256'),
        generateKeyPair('ES384'),
      ]);
      const published = [
        { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' },
        { ...(await exportJWK(rsa.publicKey)), kid: 'k2', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(es384.publicKey)), kid: 'k3', alg: 'ES384', use: 'sig' },
      ];
      server = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: published }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
      // An RSA key pair takes seconds on a loaded machine, as in the PEM hook above.
    }, 60_000);
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('accepts RS256 and ES256 by default, not another algorithm the JWKS publishes', async () => {
      const auth = await createAuthenticator(jwtEnv({ JWT_JWKS_URL: url }));
      const signed = (key: SigningKey, alg: string, kid: string) =>
        new SignJWT({})
          .setProtectedHeader({ alg, kid })
          .setSubject('player-7')
          .setExpirationTime('5m')
          .sign(key);
      await expect(
        auth.authenticate({
          authorization: `Bearer ${await signed(rsa.privateKey, 'RS256', 'k2')}`,
        }),
      ).resolves.toBe('player-7');
      await expect(
        auth.authenticate({
          authorization: `Bearer ${await signed(es384.privateKey, 'ES384', 'k3')}`,
        }),
      ).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: 'invalid token' });
    });

    it('verifies tokens signed by a key the JWKS publishes', async () => {
      const auth = await createAuthenticator(jwtEnv({ JWT_JWKS_URL: url }));
      await expect(
        auth.authenticate({ authorization: `Bearer ${await sign(keys.privateKey, 'ES256')}` }),
      ).resolves.toBe('player-42');
      await expect(
        auth.authenticate({ authorization: 'Bearer not.a.token' }),
      ).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
      await expect(auth.authenticate({})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it('refuses a JWKS-signed token without exp or without sub', async () => {
      const auth = await createAuthenticator(jwtEnv({ JWT_JWKS_URL: url }));
      await expectExpAndSubRequired(auth, keys.privateKey, 'ES256');
    });
  });
});
