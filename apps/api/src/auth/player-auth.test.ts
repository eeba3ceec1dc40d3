import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { createAuthenticator, type PlayerAuthenticator } from './player-auth.ts';

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
    await expect(auth.authenticate({})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
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

  it('HS256 secret: a token without exp or without sub is refused', async () => {
    const secret = 'hs256-secret-hs256-secret-hs256-secret';
    const auth = await createAuthenticator(jwtEnv({ JWT_SECRET: secret }));
    await expectExpAndSubRequired(auth, new TextEncoder().encode(secret), 'HS256');
  });

  describe('PEM public key (RS256)', () => {
    let keys: Awaited<ReturnType<typeof generateKeyPair>>;
    let other: Awaited<ReturnType<typeof generateKeyPair>>;
    let auth: PlayerAuthenticator;
    // Two RSA key pairs: about a second each, several on a loaded machine, hence in a hook.
    beforeAll(async () => {
      [keys, other] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256')]);
      auth = await createAuthenticator(
        jwtEnv({ JWT_PUBLIC_KEY: await exportSPKI(keys.publicKey) }),
      );
    }, 60_000);

    it('verifies tokens of its key only', async () => {
      await expect(
        auth.authenticate({ authorization: `Bearer ${await sign(keys.privateKey, 'RS256')}` }),
      ).resolves.toBe('player-42');
      await expect(
        auth.authenticate({ authorization: `Bearer ${await sign(other.privateKey, 'RS256')}` }),
      ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it('refuses a token without exp or without sub', async () => {
      await expectExpAndSubRequired(auth, keys.privateKey, 'RS256');
    });
  });

  describe('JWKS URL', () => {
    let server: Server;
    let url: string;
    let keys: Awaited<ReturnType<typeof generateKeyPair>>;
    beforeAll(async () => {
      keys = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      server = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

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
