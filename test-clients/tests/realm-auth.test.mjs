// realm-web 2.0.1, unmodified, against a Thimble server: every authentication route it uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Realm from 'realm-web';
import { BASE_URL, APP_ID, SERVER_API_KEY, ACCESS_TOKEN_SECONDS, freshEmail, sleep, rawRequest } from './env.mjs';

const newApp = () => new Realm.App({ id: APP_ID, baseUrl: BASE_URL });

async function registeredUser(app, prefix) {
  const email = freshEmail(prefix);
  await app.emailPasswordAuth.registerUser({ email, password: 'password123' });
  return { email, password: 'password123' };
}

test('realm: anonymous login gives a user with an anon identity and a profile', async () => {
  const app = newApp();
  const user = await app.logIn(Realm.Credentials.anonymous());
  assert.match(user.id, /^[0-9a-f]{24}$/);
  assert.equal(user.providerType, 'anon-user');
  await user.refreshProfile();
  assert.equal(user.identities.length, 1);
  assert.equal(user.identities[0].providerType, 'anon-user');
  assert.match(user.deviceId, /^[0-9a-f]{24}$/);
  await user.logOut();
});

test('realm: register, log in with email and password, see the email in the profile', async () => {
  const app = newApp();
  const { email, password } = await registeredUser(app, 'realm');
  const user = await app.logIn(Realm.Credentials.emailPassword(email, password));
  assert.equal(user.profile.email, email);
  assert.equal(user.providerType, 'local-userpass');
});

test('realm: a wrong password is refused with InvalidPassword and no session', async () => {
  const app = newApp();
  const { email } = await registeredUser(app, 'realm-wrong');
  const before = app.currentUser?.id ?? null;
  await assert.rejects(app.logIn(Realm.Credentials.emailPassword(email, 'not-the-password')), (error) => {
    assert.equal(error.statusCode, 401);
    assert.equal(error.errorCode, 'InvalidPassword');
    assert.match(error.error, /invalid username\/password/);
    return true;
  });
  assert.equal(app.currentUser?.id ?? null, before, 'a failed login must not change the current user');
});

test('realm: a second registration of an email is refused with AccountNameInUse', async () => {
  const app = newApp();
  const { email } = await registeredUser(app, 'realm-dup');
  await assert.rejects(app.emailPasswordAuth.registerUser({ email, password: 'another123' }), (error) => {
    assert.equal(error.errorCode, 'AccountNameInUse');
    return true;
  });
});

test('realm: a disabled provider is refused with a message naming its file', async () => {
  const app = newApp();
  // The app has a disabled custom-token provider named custom-token-retired (the enabled one is custom-token).
  await assert.rejects(app.logIn(new Realm.Credentials('custom-token-retired', 'custom-token', false, { token: 'a.b.c' })), (error) => {
    assert.equal(error.errorCode, 'AuthProviderNotFound');
    assert.match(error.error, /auth_providers\/custom-token-retired\.json/);
    return true;
  });
});

test('realm: an expired access token is refreshed transparently', async () => {
  const app = newApp();
  const user = await app.logIn(Realm.Credentials.anonymous(false));
  const before = user.accessToken;
  await sleep((ACCESS_TOKEN_SECONDS + 1) * 1000);
  await user.refreshProfile(); // 401 InvalidSession → POST /auth/session → retry
  assert.notEqual(user.accessToken, before);
  assert.equal(user.identities[0].providerType, 'anon-user');
});

test('realm: user API keys are created, listed, disabled, enabled, used to log in, and deleted', async () => {
  const app = newApp();
  const owner = await app.logIn(Realm.Credentials.anonymous(false));
  const created = await owner.apiKeys.create('laptop');
  assert.match(created._id.toString(), /^[0-9a-f]{24}$/);
  assert.equal(created.name, 'laptop');
  assert.equal(typeof created.key, 'string');
  assert.deepEqual((await owner.apiKeys.fetchAll()).map((k) => k.name), ['laptop']);
  assert.equal((await owner.apiKeys.fetch(created._id)).disabled, false);

  await owner.apiKeys.disable(created._id);
  assert.equal((await owner.apiKeys.fetch(created._id)).disabled, true);
  await assert.rejects(newApp().logIn(Realm.Credentials.apiKey(created.key)));
  await owner.apiKeys.enable(created._id);

  const viaKey = await newApp().logIn(Realm.Credentials.apiKey(created.key));
  assert.equal(viaKey.id, owner.id);

  await owner.apiKeys.delete(created._id);
  assert.deepEqual(await owner.apiKeys.fetchAll(), []);
});

test('realm: a server API key logs in as a server user', { skip: !SERVER_API_KEY }, async () => {
  const user = await newApp().logIn(Realm.Credentials.apiKey(SERVER_API_KEY));
  await user.refreshProfile();
  assert.equal(user.identities[0].providerType, 'api-key');
});

test('realm: an anonymous user links an email/password identity and keeps its id', async () => {
  const app = newApp();
  const anon = await app.logIn(Realm.Credentials.anonymous(false));
  const { email, password } = await registeredUser(app, 'realm-link');
  await anon.linkCredentials(Realm.Credentials.emailPassword(email, password));
  await anon.refreshProfile();
  assert.deepEqual(anon.identities.map((i) => i.providerType), ['anon-user', 'local-userpass']);
  const again = await newApp().logIn(Realm.Credentials.emailPassword(email, password));
  assert.equal(again.id, anon.id);
});

test('realm: after logout the old tokens are refused', async () => {
  const app = newApp();
  const user = await app.logIn(Realm.Credentials.anonymous(false));
  const { accessToken, refreshToken } = user;
  await user.logOut();
  const profile = await rawRequest('GET', '/auth/profile', accessToken);
  assert.equal(profile.status, 401);
  assert.equal(profile.contentType, 'application/json');
  assert.equal(profile.body.error_code, 'InvalidSession');
  const session = await rawRequest('POST', '/auth/session', refreshToken);
  assert.equal(session.status, 401);
  assert.match(session.body.error, /failed to find refresh token/);
});

test('realm: deleteUser removes the user and its tokens stop working', async () => {
  const app = newApp();
  const { email, password } = await registeredUser(app, 'realm-delete');
  const user = await app.logIn(Realm.Credentials.emailPassword(email, password));
  const { accessToken } = user;
  await app.deleteUser(user);
  assert.equal((await rawRequest('GET', '/auth/profile', accessToken)).status, 401);
  await assert.rejects(newApp().logIn(Realm.Credentials.emailPassword(email, password)));
});
