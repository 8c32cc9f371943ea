// The certified OpenID Connect provider (panva's oidc-provider) as the tests need it:
// started by tests/certified_oidc/__init__.py with a JSON configuration file, serving
// HTTPS on 127.0.0.1 with a certificate from the test's own CA. Its development
// interactions (a login form that accepts any password, then a consent form) stand for
// the identity check; accounts come from the configuration. One addition for the tests:
// POST /_test/jwks?status=503 makes the key set answer that status (an outage).
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { pathToFileURL } from 'node:url';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { default: Provider } = await import(pathToFileURL(config.module).href);

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: { keys: config.keys },
  cookies: { keys: [config.cookie_key] },
  claims: { openid: ['sub'], profile: ['given_name', 'family_name', 'serialNumber'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const claims = config.accounts[id];
    return claims && { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});

let jwksStatus = 200;
provider.use(async (ctx, next) => {
  if (ctx.path === '/_test/jwks' && ctx.method === 'POST') {
    jwksStatus = Number(ctx.query.status);
    ctx.status = 204;
    return;
  }
  if (ctx.path === '/jwks' && jwksStatus !== 200) {
    ctx.status = jwksStatus;
    ctx.body = { error: 'temporarily_unavailable' };
    return;
  }
  await next();
});

const tls = { key: readFileSync(config.tls_key), cert: readFileSync(config.tls_cert) };
https.createServer(tls, provider.callback()).listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${config.issuer}`);
});
