// mongodb-stitch-server-sdk 4.9.0, unmodified, against a Thimble server: CustomCredential (Custom JWT),
// FunctionCredential, and the email/password confirmation and reset functions.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import stitch from 'mongodb-stitch-server-sdk';
import { BASE_URL, APP_ID, freshEmail } from './env.mjs';

const {
  Stitch, StitchAppClientConfiguration, MemoryStorage, CustomCredential, FunctionCredential,
  UserPasswordCredential, UserPasswordAuthProviderClient, StitchServiceError,
} = stitch;

const JWT_KEY = process.env.THIMBLE_JWT_KEY
  || assert.fail('THIMBLE_JWT_KEY is not set: these tests run from SdkClientsTest, which gives the app a custom-token signing key');
let counter = 0;
const externalId = () => `ext-stitch-${process.pid}-${Date.now()}-${++counter}`;

const openClients = [];
function newClient() {
  const client = Stitch.initializeAppClient(APP_ID,
    new StitchAppClientConfiguration.Builder().withBaseUrl(BASE_URL).withStorage(new MemoryStorage()).build());
  openClients.push(client);
  return client;
}

afterEach(() => {
  openClients.splice(0).forEach((client) => client.close());
  Stitch.clearApps();
});

const userpass = (client) => client.auth.getProviderClient(UserPasswordAuthProviderClient.factory);

function serviceError(pattern) {
  return (error) => {
    assert.ok(error instanceof StitchServiceError, `got ${error}`);
    assert.match(error.message, pattern);
    return true;
  };
}

test('stitch: a CustomCredential JWT logs in with sub as the identity and metadata in the profile', async () => {
  const sub = externalId();
  const signed = jwt.sign({ sub, aud: APP_ID, user_data: { name: 'Grace' } }, JWT_KEY, { algorithm: 'HS256', expiresIn: '10m' });
  const user = await newClient().auth.loginWithCredential(new CustomCredential(signed));
  assert.equal(user.loggedInProviderType, 'custom-token');
  assert.equal(user.identities[0].id, sub);
  assert.equal(user.profile.name, 'Grace');
});

test('stitch: an expired CustomCredential JWT is refused saying when it expired', async () => {
  const signed = jwt.sign({ sub: externalId(), aud: APP_ID, user_data: { name: 'Old' }, exp: Math.floor(Date.now() / 1000) - 60 },
    JWT_KEY, { algorithm: 'HS256' });
  const client = newClient();
  await assert.rejects(client.auth.loginWithCredential(new CustomCredential(signed)), serviceError(/token expired at/));
  assert.equal(client.auth.isLoggedIn, false);
});

test('stitch: a FunctionCredential logs in as the id the auth function returns', async () => {
  const username = externalId();
  const user = await newClient().auth.loginWithCredential(new FunctionCredential({ username, pin: 1234 }));
  assert.equal(user.loggedInProviderType, 'custom-function');
  assert.equal(user.identities[0].id, `fn-${username}`);
  assert.equal(user.profile.name, username);
});

test('stitch: a FunctionCredential the auth function rejects is refused with its message', async () => {
  await assert.rejects(newClient().auth.loginWithCredential(new FunctionCredential({ username: 'mallory', pin: 1 })),
    serviceError(/wrong PIN for mallory/));
});

test('stitch: a registration the confirmation function fails is refused', async () => {
  await assert.rejects(userpass(newClient()).registerWithEmail(freshEmail('fail'), 'password123'),
    serviceError(/failed to confirm user/));
});

test('stitch: callResetPasswordFunction with the right answer changes the password at once', async () => {
  const client = newClient();
  const email = freshEmail('stitch-reset');
  await userpass(client).registerWithEmail(email, 'password123');

  await userpass(client).callResetPasswordFunction(email, 'newpass456', ['blue']);

  const user = await client.auth.loginWithCredential(new UserPasswordCredential(email, 'newpass456'));
  assert.equal(user.profile.email, email);
});

test('stitch: callResetPasswordFunction with a wrong answer is refused', async () => {
  const client = newClient();
  const email = freshEmail('stitch-reset-wrong');
  await userpass(client).registerWithEmail(email, 'password123');
  await assert.rejects(userpass(client).callResetPasswordFunction(email, 'newpass456', ['green']),
    serviceError(/failed to reset the password/));
});
