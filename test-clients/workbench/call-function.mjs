// Run by the workbench's LiveChangesFxTest: the real realm-web SDK logs in anonymously and calls one
// function with JSON arguments; prints the result as Extended JSON, or "ERROR <message>" when it fails.
import * as Realm from 'realm-web';

const [name, argsJson] = process.argv.slice(2);
const app = new Realm.App({ id: process.env.THIMBLE_APP_ID, baseUrl: process.env.THIMBLE_BASE_URL });
const user = await app.logIn(Realm.Credentials.anonymous());
try {
  const result = await user.callFunction(name, ...JSON.parse(argsJson || '[]'));
  console.log(Realm.BSON.EJSON.stringify(result));
} catch (e) {
  console.log('ERROR ' + e.message);
}
