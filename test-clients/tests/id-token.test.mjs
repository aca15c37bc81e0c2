// Google and Apple ID-token logins through unmodified realm-web (Credentials.google({idToken}),
// Credentials.apple(idToken)), verified against the providers' key sets, which SdkClientsTest serves
// from a loopback fake that signs with a real RSA key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Realm from 'realm-web';
import { BASE_URL, APP_ID } from './env.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests from SdkClientsTest`);
  return value;
};
const app = () => new Realm.App({ id: APP_ID, baseUrl: BASE_URL });

async function refused(credentials, message) {
  await assert.rejects(app().logIn(credentials), (error) => {
    assert.equal(error.statusCode, 401, `${error}`);
    assert.match(error.error, message);
    return true;
  });
}

test('realm: Google login with an ID token signed by a key of Google\'s key set', async () => {
  const user = await app().logIn(Realm.Credentials.google({ idToken: env('THIMBLE_GOOGLE_ID_TOKEN') }));
  await user.refreshProfile();
  assert.equal(user.providerType, 'oauth2-google');
  assert.equal(user.profile.email, 'gia@example.com');
  assert.equal(user.profile.name, 'Gia');
  const again = await app().logIn(Realm.Credentials.google({ idToken: env('THIMBLE_GOOGLE_ID_TOKEN') }));
  assert.equal(again.id, user.id, 'the same Google subject is the same user');
});

test('realm: a Google ID token issued for another app is refused', async () => {
  await refused(Realm.Credentials.google({ idToken: env('THIMBLE_GOOGLE_ID_TOKEN_OTHER_APP') }), /issued for \[someone-elses-client\]/);
});

test('realm: an expired Google ID token is refused', async () => {
  await refused(Realm.Credentials.google({ idToken: env('THIMBLE_GOOGLE_ID_TOKEN_EXPIRED') }), /expired/);
});

test('realm: Apple login with an ID token for the app\'s bundle id', async () => {
  const user = await app().logIn(Realm.Credentials.apple(env('THIMBLE_APPLE_ID_TOKEN')));
  assert.equal(user.providerType, 'oauth2-apple');
  await user.refreshProfile();
  assert.equal(user.profile.email, 'ana@privaterelay.appleid.com');
});

test('realm: an Apple ID token signed with a key Apple does not publish is refused', async () => {
  await refused(Realm.Credentials.apple(env('THIMBLE_APPLE_ID_TOKEN_FORGED')), /signature does not verify/);
});

test('realm: an ID token from another issuer is refused by the Apple provider', async () => {
  await refused(Realm.Credentials.apple(env('THIMBLE_APPLE_ID_TOKEN_GOOGLE_ISSUER')), /issued by https:\/\/accounts.google.com, not https:\/\/appleid.apple.com/);
});
