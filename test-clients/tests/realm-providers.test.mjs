// realm-web 2.0.1, unmodified, against a Thimble server: Custom JWT and custom-function logins, and the
// email/password confirmation and reset functions (retryCustomConfirmation, callResetPasswordFunction).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import * as Realm from 'realm-web';
import { BASE_URL, APP_ID, freshEmail } from './env.mjs';

const JWT_KEY = process.env.THIMBLE_JWT_KEY
  || assert.fail('THIMBLE_JWT_KEY is not set: these tests run from SdkClientsTest, which gives the app a custom-token signing key');
const newApp = () => new Realm.App({ id: APP_ID, baseUrl: BASE_URL });
let counter = 0;
const externalId = () => `ext-${process.pid}-${Date.now()}-${++counter}`;

// A token as the app's own auth system would mint it: HS256 with the provider's signing key, 10 minutes.
function token(claims, key = JWT_KEY) {
  return jwt.sign({ aud: APP_ID, ...claims }, key, { algorithm: 'HS256', expiresIn: '10m' });
}

function authError(pattern) {
  return (error) => {
    assert.equal(error.statusCode, 401);
    assert.equal(error.errorCode, 'AuthError');
    assert.match(error.error, pattern);
    return true;
  };
}

test('realm: a JWT signed with the app key logs in; sub is the identity and metadata fills the profile', async () => {
  const sub = externalId();
  const user = await newApp().logIn(Realm.Credentials.jwt(token({ sub, user_data: { name: 'Ada' } })));
  assert.equal(user.providerType, 'custom-token');
  assert.equal(user.profile.name, 'Ada');
  assert.equal(user.identities[0].id, sub);
  const again = await newApp().logIn(Realm.Credentials.jwt(token({ sub, user_data: { name: 'Ada L.' } })));
  assert.equal(again.id, user.id, 'the same sub is the same user');
  assert.equal(again.profile.name, 'Ada L.', 'metadata is refreshed at each login');
});

test('realm: an expired JWT is refused saying when it expired', async () => {
  const expired = jwt.sign({ sub: externalId(), aud: APP_ID, user_data: { name: 'Old' }, exp: Math.floor(Date.now() / 1000) - 60 },
    JWT_KEY, { algorithm: 'HS256' });
  await assert.rejects(newApp().logIn(Realm.Credentials.jwt(expired)), authError(/token expired at \d{4}-/));
});

test('realm: a JWT signed with another key is refused', async () => {
  const forged = token({ sub: externalId(), user_data: { name: 'Eve' } }, 'not-the-app-key-0123456789abcdefghijklmnop');
  await assert.rejects(newApp().logIn(Realm.Credentials.jwt(forged)), authError(/signature does not verify with any configured signing key/));
});

test('realm: a JWT for another audience is refused', async () => {
  const elsewhere = token({ sub: externalId(), user_data: { name: 'Ada' }, aud: 'another-app' });
  await assert.rejects(newApp().logIn(Realm.Credentials.jwt(elsewhere)), authError(/audience \[another-app\] not accepted/));
});

test('realm: a JWT without the required metadata field is refused naming it', async () => {
  await assert.rejects(newApp().logIn(Realm.Credentials.jwt(token({ sub: externalId() }))),
    authError(/required metadata field user_data\.name missing/));
});

test('realm: a function credential logs in as the id the auth function returns', async () => {
  const username = externalId();
  const user = await newApp().logIn(Realm.Credentials.function({ username, pin: 1234 }));
  assert.equal(user.providerType, 'custom-function');
  assert.equal(user.identities[0].id, `fn-${username}`);
  assert.equal(user.profile.name, username);
  const again = await newApp().logIn(Realm.Credentials.function({ username, pin: 1234 }));
  assert.equal(again.id, user.id);
});

test('realm: an auth function that throws refuses the login with its message', async () => {
  const app = newApp();
  const before = app.currentUser?.id ?? null;
  await assert.rejects(app.logIn(Realm.Credentials.function({ username: 'mallory', pin: 1 })), authError(/wrong PIN for mallory/));
  assert.equal(app.currentUser?.id ?? null, before, 'a refused login must not change the current user');
});

test('realm: a user the confirmation function leaves pending logs in after retryCustomConfirmation succeeds', async () => {
  const app = newApp();
  const email = freshEmail('pending');
  await app.emailPasswordAuth.registerUser({ email, password: 'password123' });
  await assert.rejects(app.logIn(Realm.Credentials.emailPassword(email, 'password123')), authError(/confirmation required/));

  await app.emailPasswordAuth.retryCustomConfirmation({ email });

  const user = await app.logIn(Realm.Credentials.emailPassword(email, 'password123'));
  assert.equal(user.profile.email, email);
});

test('realm: a registration the confirmation function fails is refused and leaves no account', async () => {
  const app = newApp();
  const email = freshEmail('fail');
  await assert.rejects(app.emailPasswordAuth.registerUser({ email, password: 'password123' }), (error) => {
    assert.equal(error.statusCode, 400);
    assert.match(error.error, /failed to confirm user/);
    return true;
  });
  await assert.rejects(app.logIn(Realm.Credentials.emailPassword(email, 'password123')), (error) => {
    assert.equal(error.errorCode, 'InvalidPassword');
    return true;
  });
});

test('realm: callResetPasswordFunction with the right answer changes the password at once', async () => {
  const app = newApp();
  const email = freshEmail('realm-reset');
  await app.emailPasswordAuth.registerUser({ email, password: 'password123' });

  await app.emailPasswordAuth.callResetPasswordFunction({ email, password: 'newpass456' }, 'blue');

  assert.equal((await app.logIn(Realm.Credentials.emailPassword(email, 'newpass456'))).profile.email, email);
  await assert.rejects(newApp().logIn(Realm.Credentials.emailPassword(email, 'password123')));
});

test('realm: callResetPasswordFunction with a wrong answer is refused and the password stays', async () => {
  const app = newApp();
  const email = freshEmail('realm-reset-wrong');
  await app.emailPasswordAuth.registerUser({ email, password: 'password123' });

  await assert.rejects(app.emailPasswordAuth.callResetPasswordFunction({ email, password: 'newpass456' }, 'green'), (error) => {
    assert.equal(error.statusCode, 400);
    assert.match(error.error, /failed to reset the password/);
    return true;
  });
  assert.equal((await app.logIn(Realm.Credentials.emailPassword(email, 'password123'))).profile.email, email);
});
