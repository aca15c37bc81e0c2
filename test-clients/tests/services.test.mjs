// Both SDKs, unmodified: a function that calls the app's HTTP service (under its rules) and context.http.
// THIMBLE_FAKE_URL is a loopback server the Java test runs; the service's rule allows only its host.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Realm from 'realm-web';
import stitch from 'mongodb-stitch-server-sdk';
import { BASE_URL, APP_ID } from './env.mjs';

const FAKE_URL = process.env.THIMBLE_FAKE_URL;
const { Stitch, StitchAppClientConfiguration, MemoryStorage, AnonymousCredential } = stitch;

after(() => Stitch.clearApps());

test('realm: a function calls the HTTP service and returns what the outside server answered', async () => {
  const user = await new Realm.App({ id: APP_ID, baseUrl: BASE_URL }).logIn(Realm.Credentials.anonymous(false));
  const reply = await user.functions.fetchGreeting(`${FAKE_URL}/greeting`);
  assert.equal(reply.statusCode, 200);
  assert.equal(reply.status, '200 OK');
  assert.deepEqual(reply.json, { hello: 'world', method: 'POST', sent: 'from realm' });
});

test('realm: a call the service rules deny fails with the rule decision', async () => {
  const user = await new Realm.App({ id: APP_ID, baseUrl: BASE_URL }).logIn(Realm.Credentials.anonymous(false));
  await assert.rejects(user.functions.fetchGreeting(FAKE_URL.replace('127.0.0.1', 'localhost') + '/greeting'), (error) => {
    assert.equal(error.errorCode, 'FunctionExecutionError');
    assert.match(error.error, /rule denied: no rule of service 'greeter' allows action 'post'/);
    return true;
  });
});

test('stitch: a function calls the HTTP service and context.http', async () => {
  Stitch.clearApps();
  const client = Stitch.initializeAppClient(APP_ID,
    new StitchAppClientConfiguration.Builder().withBaseUrl(BASE_URL).withStorage(new MemoryStorage()).build());
  try {
    await client.auth.loginWithCredential(new AnonymousCredential());
    const reply = await client.callFunction('fetchGreeting', [`${FAKE_URL}/greeting`, 'from stitch']);
    assert.deepEqual(reply.json, { hello: 'world', method: 'POST', sent: 'from stitch' });
    const text = await client.callFunction('plainFetch', [`${FAKE_URL}/greeting`]);
    assert.equal(JSON.parse(text).method, 'GET');
  } finally {
    client.close();
  }
});
