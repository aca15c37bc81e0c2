// Run by the workbench's DockFxTest: the real realm-web SDK logs in anonymously and runs one find
// on todo.items, so the logs panel must show that request with its rule decision. Prints the user id.
import * as Realm from 'realm-web';

const app = new Realm.App({ id: process.env.THIMBLE_APP_ID, baseUrl: process.env.THIMBLE_BASE_URL });
const user = await app.logIn(Realm.Credentials.anonymous());
await user.mongoClient('mongodb-atlas').db('todo').collection('items').find({});
console.log(user.id);
