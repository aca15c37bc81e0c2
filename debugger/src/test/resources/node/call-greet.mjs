// The unmodified mongodb-stitch-server-sdk 4.9.0 calls a function the Java test has a breakpoint in;
// it prints the answer it gets once the developer continues (or the error, after a stop).
import { createRequire } from 'node:module';

const require = createRequire(process.env.THIMBLE_CLIENTS + '/package.json');
const { Stitch, StitchAppClientConfiguration, MemoryStorage, AnonymousCredential } = require('mongodb-stitch-server-sdk');

const client = Stitch.initializeAppClient(process.env.THIMBLE_APP_ID,
  new StitchAppClientConfiguration.Builder().withBaseUrl(process.env.THIMBLE_BASE_URL).withStorage(new MemoryStorage()).build());
try {
  await client.auth.loginWithCredential(new AnonymousCredential());
  console.log('LOGGED_IN ' + client.auth.user.id);
  const result = await client.callFunction(process.env.THIMBLE_FUNCTION, [process.env.THIMBLE_ARGUMENT]);
  console.log('RESULT ' + JSON.stringify(result));
} catch (e) {
  console.log('ERROR ' + e.message);
} finally {
  client.close();
}
