// mongodb-stitch-server-sdk 4.9.0, unmodified, against a Thimble server: its authentication routes.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import stitch from 'mongodb-stitch-server-sdk';
import { BASE_URL, APP_ID, SERVER_API_KEY, freshEmail, rawRequest } from './env.mjs';

const {
  Stitch, StitchAppClientConfiguration, MemoryStorage, AnonymousCredential, UserPasswordCredential,
  UserPasswordAuthProviderClient, UserApiKeyAuthProviderClient, UserApiKeyCredential, ServerApiKeyCredential,
  StitchServiceError,
} = stitch;

const openClients = [];
function newClient() {
  const client = Stitch.initializeAppClient(APP_ID,
    new StitchAppClientConfiguration.Builder().withBaseUrl(BASE_URL).withStorage(new MemoryStorage()).build());
  openClients.push(client);
  return client;
}

// Each client runs a token refresher on a timer: close them, or the test process never exits.
afterEach(() => {
  openClients.splice(0).forEach((client) => client.close());
  Stitch.clearApps();
});

async function registered(client, prefix) {
  const email = freshEmail(prefix);
  await client.auth.getProviderClient(UserPasswordAuthProviderClient.factory).registerWithEmail(email, 'password123');
  return { email, password: 'password123' };
}

test('stitch: anonymous login gives a logged-in user with an anon identity', async () => {
  const client = newClient();
  const user = await client.auth.loginWithCredential(new AnonymousCredential());
  assert.match(user.id, /^[0-9a-f]{24}$/);
  assert.equal(user.loggedInProviderType, 'anon-user');
  assert.equal(user.identities[0].providerType, 'anon-user');
  assert.equal(client.auth.isLoggedIn, true);
  await client.auth.logout();
  assert.equal(client.auth.isLoggedIn, false);
});

test('stitch: register, then log in with email and password', async () => {
  const client = newClient();
  const { email, password } = await registered(client, 'stitch');
  const user = await client.auth.loginWithCredential(new UserPasswordCredential(email, password));
  assert.equal(user.profile.email, email);
  assert.equal(user.loggedInProviderType, 'local-userpass');
});

test('stitch: a wrong password is a service error carrying the server message', async () => {
  const client = newClient();
  const { email } = await registered(client, 'stitch-wrong');
  await assert.rejects(client.auth.loginWithCredential(new UserPasswordCredential(email, 'nope-nope')), (error) => {
    assert.ok(error instanceof StitchServiceError, `got ${error}`);
    assert.match(error.message, /invalid username\/password/); // parsed from our JSON body, not the raw text
    return true;
  });
  assert.equal(client.auth.isLoggedIn, false);
});

test('stitch: user API keys are created, fetched, disabled, enabled, used and deleted', async () => {
  const client = newClient();
  const owner = await client.auth.loginWithCredential(new AnonymousCredential());
  const keys = client.auth.getProviderClient(UserApiKeyAuthProviderClient.factory);
  const created = await keys.createApiKey('ci-key');
  assert.equal(created.name, 'ci-key');
  assert.equal(typeof created.key, 'string');
  assert.deepEqual((await keys.fetchApiKeys()).map((k) => k.name), ['ci-key']);
  await keys.disableApiKey(created.id);
  assert.equal((await keys.fetchApiKey(created.id)).disabled, true);
  await keys.enableApiKey(created.id);
  assert.equal((await keys.fetchApiKey(created.id)).disabled, false);

  Stitch.clearApps();
  const other = newClient();
  const viaKey = await other.auth.loginWithCredential(new UserApiKeyCredential(created.key));
  assert.equal(viaKey.id, owner.id);

  await other.auth.getProviderClient(UserApiKeyAuthProviderClient.factory).deleteApiKey(created.id);
  assert.deepEqual(await other.auth.getProviderClient(UserApiKeyAuthProviderClient.factory).fetchApiKeys(), []);
});

test('stitch: a server API key logs in as a server user', { skip: !SERVER_API_KEY }, async () => {
  const client = newClient();
  const user = await client.auth.loginWithCredential(new ServerApiKeyCredential(SERVER_API_KEY));
  assert.equal(user.userType, 'server');
});

test('stitch: an anonymous user links an email/password identity', async () => {
  const client = newClient();
  const anon = await client.auth.loginWithCredential(new AnonymousCredential());
  const { email, password } = await registered(client, 'stitch-link');
  const linked = await anon.linkWithCredential(new UserPasswordCredential(email, password));
  assert.equal(linked.id, anon.id);
  assert.deepEqual(linked.identities.map((i) => i.providerType), ['anon-user', 'local-userpass']);
});

test('stitch: after linking, the session keeps its refresh token and the next refresh works', async () => {
  const client = newClient();
  const anon = await client.auth.loginWithCredential(new AnonymousCredential());
  const before = client.auth.authInfo.refreshToken;
  const { email, password } = await registered(client, 'stitch-link-refresh');
  await anon.linkWithCredential(new UserPasswordCredential(email, password));
  assert.equal(client.auth.authInfo.refreshToken, before); // not null: the SDK keeps what the link response leaves out
  const oldAccess = client.auth.authInfo.accessToken;
  await client.auth.refreshAccessToken();
  assert.equal(client.auth.isLoggedIn, true);
  assert.notEqual(client.auth.authInfo.accessToken, oldAccess);
  assert.equal(client.auth.user.id, anon.id);
});

test('stitch: two refreshes within one second give two different access tokens', async () => {
  const client = newClient();
  await client.auth.loginWithCredential(new AnonymousCredential());
  await client.auth.refreshAccessToken();
  const first = client.auth.authInfo.accessToken;
  await client.auth.refreshAccessToken();
  const second = client.auth.authInfo.accessToken;
  assert.notEqual(second, first);
  const claims = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  assert.notEqual(claims(second).jti, claims(first).jti);
});

test('stitch: after logout the old refresh token is refused', async () => {
  const client = newClient();
  await client.auth.loginWithCredential(new AnonymousCredential());
  const refreshToken = client.auth.authInfo.refreshToken;
  await client.auth.logout();
  const session = await rawRequest('POST', '/auth/session', refreshToken);
  assert.equal(session.status, 401);
  assert.equal(session.body.error_code, 'InvalidSession');
});
