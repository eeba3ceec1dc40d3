import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { createAuthenticator } from './player-auth.ts';

const sign = (
  key: Parameters<SignJWT['sign']>[0],
  alg: string,
  claims: Record<string, unknown> = {},
) =>
  new SignJWT({ ...claims })
    .setProtectedHeader({ alg, kid: 'k1' })
    .setSubject('player-42')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);

const jwtEnv = (vars: Record<string, string>) => parseEnv({ AUTH_MODE: 'jwt', ...vars });

describe('player authentication', () => {
  it('mock mode takes the user id from x-mock-user-id and refuses empty ids', async () => {
    const auth = await createAuthenticator(parseEnv({}));
    await expect(auth.authenticate({ mockUserId: 'p1' })).resolves.toBe('p1');
    await expect(auth.authenticate({ mockUserId: '' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(auth.authenticate({})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses mock mode and the QA clock in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', AUTH_MODE: 'mock' })).toThrow(
      /AUTH_MODE=mock is refused/,
    );
    expect(() =>
      parseEnv({ NODE_ENV: 'production', JWT_SECRET: 's', QA_CLOCK: 'enabled' }),
    ).toThrow(/QA_CLOCK=enabled is refused/);
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(32),
      PSEUDONYM_SECRET: 'p'.repeat(32),
    };
    expect(parseEnv({ ...production, JWT_SECRET: 's' }).AUTH_MODE).toBe('jwt');
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
      .sign(new TextEncoder().encode('another-secret-another-secret-xx'));
    await expect(auth.authenticate({ authorization: `Bearer ${forged}` })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(auth.authenticate({ mockUserId: 'p7' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('PEM public key (RS256)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const auth = await createAuthenticator(jwtEnv({ JWT_PUBLIC_KEY: await exportSPKI(publicKey) }));
    await expect(
      auth.authenticate({ authorization: `Bearer ${await sign(privateKey, 'RS256')}` }),
    ).resolves.toBe('player-42');
    const other = await generateKeyPair('RS256');
    await expect(
      auth.authenticate({ authorization: `Bearer ${await sign(other.privateKey, 'RS256')}` }),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
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
  });
});
