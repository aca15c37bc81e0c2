// Allowed request origins set through the generated admin client from npm (atlas-app-services-admin-api,
// unmodified), then realm-web (unmodified) calling the app the way a browser would: given a fetch that
// adds the Origin header a browser sends. A listed origin works, another is refused with the protocol's
// error, and no Origin at all (a native SDK) always works. Also runs a source snippet through
// debug/execute_function_source. Started by AdminNodeClientTest.java.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Realm from 'realm-web';
import adminApi from 'atlas-app-services-admin-api';

const { AdminApi, AppsApi, AuthprovidersApi, FunctionsApi, SecurityApi, Configuration } = adminApi;

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: this test runs from AdminNodeClientTest.java (./run-tests), which starts a server home`);
  }
  return value;
}

const BASE_URL = required('THIMBLE_BASE_URL');
const ADMIN_BASE = `${BASE_URL}/api/admin/v3.0`;
const SHOP = 'https://shop.example.com';

/** A fetch that sends what a page at {@code origin} would: its Origin header. */
const browserAt = (origin) => (input, init = {}) => {
  const headers = new Headers(init.headers || {});
  headers.set('Origin', origin);
  return fetch(input, { ...init, headers });
};

test('allowed request origins: set with the npm admin client, enforced for realm-web with a browser Origin', async () => {
  const login = await new AdminApi(new Configuration({ basePath: ADMIN_BASE }))
    .adminLogin('mongodb-cloud', { username: required('THIMBLE_ADMIN_PUBLIC_KEY'), apiKey: required('THIMBLE_ADMIN_PRIVATE_KEY') });
  const config = new Configuration({ basePath: ADMIN_BASE, accessToken: login.data.access_token });
  const groupId = (await new AdminApi(config).getAdminProfile()).data.roles[0].group_id;
  const apps = new AppsApi(config);
  const created = (await apps.adminCreateApplication(groupId, { name: 'storefront' })).data;
  const appId = created._id;
  const clientAppId = created.client_app_id;
  await new AuthprovidersApi(config).adminCreateAuthProvider(groupId, appId, { name: 'anon-user', type: 'anon-user', disabled: false });
  await new FunctionsApi(config).adminCreateFunction(groupId, appId, { name: 'ping', private: false, source: 'exports = () => "pong";' });

  const security = new SecurityApi(config);
  assert.deepEqual((await security.adminListAllowedRequestOrigins(groupId, appId)).data, []);
  assert.equal((await security.adminSetAllowedRequestOrigins(groupId, appId, [SHOP])).status, 204);
  assert.deepEqual((await security.adminListAllowedRequestOrigins(groupId, appId)).data, [SHOP]);
  await assert.rejects(security.adminSetAllowedRequestOrigins(groupId, appId, ['shop.example.com/cart']),
    (e) => e.response.status === 400 && e.response.data.error_code === 'InvalidRequest');

  // a page at the listed origin: realm-web logs in and calls a function
  const fromShop = new Realm.App({ id: clientAppId, baseUrl: BASE_URL, fetch: browserAt(SHOP) });
  const shopper = await fromShop.logIn(Realm.Credentials.anonymous());
  assert.equal(await shopper.functions.ping(), 'pong');

  // what the browser asks first, and what it is told
  const preflight = await fetch(`${BASE_URL}/api/client/v2.0/app/${clientAppId}/functions/call`, {
    method: 'OPTIONS', headers: { Origin: SHOP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), SHOP);
  assert.match(preflight.headers.get('access-control-allow-methods'), /POST/);
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'authorization, content-type');

  // a page anywhere else: refused, in the protocol's error shape
  const fromElsewhere = new Realm.App({ id: clientAppId, baseUrl: BASE_URL, fetch: browserAt('https://elsewhere.example') });
  await assert.rejects(fromElsewhere.logIn(Realm.Credentials.anonymous()), (e) => {
    assert.equal(e.statusCode, 403);
    assert.equal(e.errorCode, 'OriginNotAllowed');
    return true;
  });

  // no Origin: a native SDK or a server, always let through
  const native = new Realm.App({ id: clientAppId, baseUrl: BASE_URL });
  assert.equal(await (await native.logIn(Realm.Credentials.anonymous())).functions.ping(), 'pong');

  // a source snippet, run as system through the app's function runtime
  const run = await new FunctionsApi(config).adminExecuteFunctionSource('', true, groupId, appId,
    { source: 'exports = async function() { console.log("snippet ran"); return { answer: 6 * 7 }; };' });
  assert.equal(run.status, 200);
  assert.deepEqual(run.data.result, { answer: 42 });
  assert.match(JSON.stringify(run.data.logs), /snippet ran/);

  assert.equal((await apps.adminDeleteApplication(groupId, appId)).status, 204);
});
