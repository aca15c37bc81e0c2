'use strict';
// Functions have no file system (App Services allowed reading its own bundle only). Packages that
// require fs while loading still load; reading answers "no such file", writing is refused by name.
const constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 64, O_EXCL: 128,
  O_TRUNC: 512, O_APPEND: 1024, S_IFMT: 61440, S_IFREG: 32768, S_IFDIR: 16384, S_IFLNK: 40960 };
function noFile(syscall, path) {
  const e = new Error("ENOENT: no such file or directory, " + syscall + " '" + path + "' (Thimble functions have no file system)");
  e.code = 'ENOENT'; e.errno = -2; e.syscall = syscall; e.path = String(path);
  return e;
}
function refused(name) {
  const e = new Error('fs.' + name + ' is not available in Thimble functions: they cannot write files (keep data in the database)');
  e.code = 'ERR_THIMBLE_UNAVAILABLE';
  return e;
}
const READS = ['readFile', 'stat', 'lstat', 'access', 'readdir', 'open', 'realpath', 'readlink', 'exists'];
const fs = { constants };
for (const name of READS) {
  fs[name + 'Sync'] = function (path) { throw noFile(name, path); };
  fs[name] = function (path, ...rest) {
    const cb = rest.reverse().find((x) => typeof x === 'function');
    if (name === 'exists') { if (cb) process.nextTick(cb, false); return; }
    if (cb) process.nextTick(cb, noFile(name, path)); else throw noFile(name, path);
  };
}
fs.existsSync = function () { return false; };
fs.createReadStream = function (path) { throw noFile('open', path); };
fs.promises = {};
for (const name of READS) fs.promises[name] = (path) => Promise.reject(noFile(name, path));
module.exports = new Proxy(fs, {
  get(target, property) {
    if (property in target || typeof property !== 'string' || property === 'then' || property === '__esModule') return target[property];
    return function () { throw refused(property); };
  }
});
