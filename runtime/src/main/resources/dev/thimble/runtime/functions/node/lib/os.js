'use strict';
// Node's os, answering for a small Linux machine without exposing the host's real details.
const constants = {
  signals: { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 },
  errno: { ENOENT: 2, EACCES: 13, EEXIST: 17, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, EPERM: 1 },
  priority: { PRIORITY_LOW: 19, PRIORITY_NORMAL: 0, PRIORITY_HIGH: -14 }
};
module.exports = {
  EOL: '\n',
  constants,
  arch() { return 'x64'; },
  platform() { return 'linux'; },
  type() { return 'Linux'; },
  release() { return '5.0.0'; },
  version() { return '#1 SMP'; },
  hostname() { return 'thimble'; },
  homedir() { return '/'; },
  tmpdir() { return '/tmp'; },
  endianness() { return 'LE'; },
  uptime() { return Math.floor(process.uptime()); },
  loadavg() { return [0, 0, 0]; },
  totalmem() { return 350 * 1024 * 1024; },
  freemem() { return 350 * 1024 * 1024; },
  cpus() { return [{ model: 'thimble', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }]; },
  networkInterfaces() { return {}; },
  userInfo() { return { uid: -1, gid: -1, username: 'thimble', homedir: '/', shell: null }; },
  getPriority() { return 0; },
  setPriority() { throw new Error('os.setPriority is not available in Thimble functions'); }
};
