// The generated admin client from npm (atlas-app-services-admin-api, unmodified) against a Thimble
// server home: log in with a public/private key pair (mongodb-cloud), build an app from nothing, then
// realm-web uses it; export it; ask what importing the export back would change; delete it. Started by AdminNodeClientTest.java.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Realm from 'realm-web';
import adminApi from 'atlas-app-services-admin-api';

const { AdminApi, AppsApi, AuthprovidersApi, FunctionsApi, ServicesApi, RulesApi, ValuesApi, UsersApi, Configuration } = adminApi;

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: this test runs from AdminNodeClientTest.java (./run-tests), which starts a server home`);
  }
  return value;
}

const BASE_URL = required('THIMBLE_BASE_URL');
const ADMIN_BASE = `${BASE_URL}/api/admin/v3.0`;
const PUBLIC_KEY = required('THIMBLE_ADMIN_PUBLIC_KEY');
const PRIVATE_KEY = required('THIMBLE_ADMIN_PRIVATE_KEY');

test('admin client: mongodb-cloud login, an app from nothing, realm-web uses it, export, import diff, delete', async () => {
  // login as the generated client does it
  const login = await new AdminApi(new Configuration({ basePath: ADMIN_BASE }))
    .adminLogin('mongodb-cloud', { username: PUBLIC_KEY, apiKey: PRIVATE_KEY });
  assert.equal(login.status, 200);
  assert.ok(login.data.access_token && login.data.refresh_token);
  const config = new Configuration({ basePath: ADMIN_BASE, accessToken: login.data.access_token });
  const profile = await new AdminApi(config).getAdminProfile();
  const groupId = profile.data.roles[0].group_id;

  // an app from nothing
  const apps = new AppsApi(config);
  assert.deepEqual((await apps.adminListApplications(groupId)).data, []);
  const created = await apps.adminCreateApplication(groupId, { name: 'notes', location: 'US-VA', deployment_model: 'GLOBAL' });
  assert.equal(created.status, 201);
  const appId = created.data._id;
  const clientAppId = created.data.client_app_id;
  assert.match(clientAppId, /^notes-/);

  // providers: the default api-key one is there, disabled; enable it, add email/password and anonymous
  const providers = new AuthprovidersApi(config);
  const initial = (await providers.adminListAuthProviders(groupId, appId)).data;
  assert.equal(initial.length, 1);
  assert.equal(initial[0].type, 'api-key');
  assert.equal(initial[0].disabled, true);
  assert.equal((await providers.adminEnableAuthProvider(groupId, appId, initial[0]._id)).status, 204);
  await providers.adminCreateAuthProvider(groupId, appId, {
    name: 'local-userpass', type: 'local-userpass', disabled: false,
    config: { autoConfirm: true, resetPasswordUrl: 'http://localhost/reset', runConfirmationFunction: false, runResetFunction: false },
  });
  await providers.adminCreateAuthProvider(groupId, appId, { name: 'anon-user', type: 'anon-user', disabled: false });

  // a value, a function that uses it and the database, a service with a rule
  await new ValuesApi(config).adminCreateValue(groupId, appId, { name: 'prefix', private: false, value: 'note: ' });
  const fn = await new FunctionsApi(config).adminCreateFunction(groupId, appId, {
    name: 'addNote', private: false, run_as_system: false,
    source: `exports = async function(text) {
      const notes = context.services.get('mongodb-atlas').db('notes').collection('items');
      const doc = { owner_id: context.user.id, text: context.values.get('prefix') + text };
      await notes.insertOne(doc);
      return doc.text;
    };`,
  });
  assert.equal(fn.status, 201);
  const services = new ServicesApi(config);
  const service = await services.adminCreateService(groupId, appId, { name: 'mongodb-atlas', type: 'mongodb-atlas', config: { clusterName: 'Cluster0' } });
  assert.equal(service.status, 201);
  const rule = await new RulesApi(config).adminCreateRule(groupId, appId, service.data._id, {
    database: 'notes', collection: 'items',
    roles: [{ name: 'owner', apply_when: { owner_id: '%%user.id' }, read: true, write: true, insert: true, delete: true }],
  });
  assert.equal(rule.status, 201);

  // a user made by the admin
  const user = await new UsersApi(config).adminCreateUser(groupId, appId, { email: 'ada@example.com', password: 'password123' });
  assert.equal(user.status, 201);

  // realm-web, unmodified, uses the new app at once
  const realm = new Realm.App({ id: clientAppId, baseUrl: BASE_URL });
  const ada = await realm.logIn(Realm.Credentials.emailPassword('ada@example.com', 'password123'));
  assert.equal(ada.id, user.data._id);
  assert.equal(await ada.functions.addNote('buy milk'), 'note: buy milk');
  const mine = await ada.mongoClient('mongodb-atlas').db('notes').collection('items').find({});
  assert.deepEqual(mine.map((n) => n.text), ['note: buy milk']);
  const stranger = await realm.logIn(Realm.Credentials.anonymous());
  assert.deepEqual(await stranger.mongoClient('mongodb-atlas').db('notes').collection('items').find({}), []);

  // export: a zip with a filename
  const exported = await apps.adminExportApplication(groupId, appId, undefined, undefined, undefined, undefined, { responseType: 'arraybuffer' });
  assert.equal(exported.status, 200);
  assert.match(exported.headers['content-disposition'], /filename=notes_\d+\.zip/);
  const zip = Buffer.from(exported.data);
  assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK');
  for (const name of ['stitch.json', 'functions/addNote/source.js', 'services/mongodb-atlas/rules/notes.items.json', 'values/prefix.json']) {
    assert.ok(zip.includes(Buffer.from(name)), `the export has ${name}`);
  }

  // import with diff=true: the changes the import would make, applied nowhere
  const importDiff = async () => {
    const response = await fetch(`${ADMIN_BASE}/groups/${groupId}/apps/${appId}/import?strategy=replace&diff=true`, {
      method: 'POST', headers: { Authorization: `Bearer ${login.data.access_token}`, 'Content-Type': 'application/zip' }, body: zip,
    });
    assert.equal(response.status, 200);
    return response.json();
  };
  assert.deepEqual(await importDiff(), { equal: true, count: 0, changes: [] });
  await new ValuesApi(config).adminCreateValue(groupId, appId, { name: 'suffix', private: false, value: '!' });
  const diff = await importDiff();
  assert.equal(diff.count, 1);
  assert.equal(diff.changes[0].name, 'suffix');
  assert.equal(diff.changes[0].kind, 'removed');
  assert.equal((await new ValuesApi(config).adminListValues(groupId, appId)).data.length, 2);

  // delete: the app goes, its users with it
  assert.equal((await apps.adminDeleteApplication(groupId, appId)).status, 204);
  assert.deepEqual((await apps.adminListApplications(groupId)).data, []);
  await assert.rejects(new Realm.App({ id: clientAppId, baseUrl: BASE_URL }).logIn(Realm.Credentials.emailPassword('ada@example.com', 'password123')));
});
