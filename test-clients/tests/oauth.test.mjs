// Native OAuth logins through both unmodified SDKs against a fake Google/Facebook on loopback
// (SdkClientsTest starts it): Google's server auth code exchange, Facebook's access token.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as Realm from 'realm-web';
import stitch from 'mongodb-stitch-server-sdk';
import { BASE_URL, APP_ID } from './env.mjs';

const { Stitch, StitchAppClientConfiguration, MemoryStorage, GoogleCredential, FacebookCredential, StitchServiceError } = stitch;
const AUTH_CODE = process.env.THIMBLE_GOOGLE_AUTH_CODE;
const FACEBOOK_TOKEN = process.env.THIMBLE_FACEBOOK_TOKEN;

const open = [];
function stitchClient() {
  Stitch.clearApps();
  const client = Stitch.initializeAppClient(APP_ID,
    new StitchAppClientConfiguration.Builder().withBaseUrl(BASE_URL).withStorage(new MemoryStorage()).build());
  open.push(client);
  return client;
}
afterEach(() => {
  open.splice(0).forEach((client) => client.close());
  Stitch.clearApps();
});

test('realm: Google login with a server auth code', async () => {
  const user = await new Realm.App({ id: APP_ID, baseUrl: BASE_URL }).logIn(Realm.Credentials.google({ authCode: AUTH_CODE }));
  await user.refreshProfile();
  assert.equal(user.providerType, 'oauth2-google');
  assert.equal(user.profile.email, 'ada@example.com');
  assert.equal(user.profile.name, 'Ada Lovelace');
});

test('realm: Facebook login with an access token', async () => {
  const user = await new Realm.App({ id: APP_ID, baseUrl: BASE_URL }).logIn(Realm.Credentials.facebook(FACEBOOK_TOKEN));
  await user.refreshProfile();
  assert.equal(user.identities[0].providerType, 'oauth2-facebook');
  assert.equal(user.profile.name, 'Grace Hopper');
});

test('realm: a made-up auth code is refused', async () => {
  await assert.rejects(new Realm.App({ id: APP_ID, baseUrl: BASE_URL }).logIn(Realm.Credentials.google({ authCode: 'made-up' })),
    (error) => { assert.equal(error.statusCode, 401); return true; });
});

test('stitch: Google and Facebook credentials log in the same users', async () => {
  const google = await stitchClient().auth.loginWithCredential(new GoogleCredential(AUTH_CODE));
  assert.equal(google.loggedInProviderType, 'oauth2-google');
  assert.equal(google.profile.email, 'ada@example.com');
  const facebook = await stitchClient().auth.loginWithCredential(new FacebookCredential(FACEBOOK_TOKEN));
  assert.equal(facebook.loggedInProviderType, 'oauth2-facebook');
  assert.equal(facebook.profile.name, 'Grace Hopper');
  await assert.rejects(stitchClient().auth.loginWithCredential(new FacebookCredential('forged')),
    (error) => { assert.ok(error instanceof StitchServiceError); return true; });
});
