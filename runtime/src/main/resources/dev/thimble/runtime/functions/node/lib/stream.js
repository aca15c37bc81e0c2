'use strict';
// Node's stream: the npm "readable-stream" 3 package (MIT, vendored; Node 10's streams), with the legacy
// Stream class at the top so `x instanceof require('stream')` holds for every stream, as in Node.
const EventEmitter = require('events');
const rs = require('readable-stream/readable-browser.js');
function Stream(options) { EventEmitter.call(this, options); }
Object.setPrototypeOf(Stream.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Stream, EventEmitter);
// the legacy pipe of Node's lib/internal/streams/legacy.js, for code that extends Stream directly
Stream.prototype.pipe = function pipe(dest, options) {
  const source = this;
  function ondata(chunk) { if (dest.writable && dest.write(chunk) === false && source.pause) source.pause(); }
  source.on('data', ondata);
  function ondrain() { if (source.readable && source.resume) source.resume(); }
  dest.on('drain', ondrain);
  if (!options || options.end !== false) source.on('end', () => dest.end());
  dest.emit('pipe', source);
  return dest;
};
Object.setPrototypeOf(rs.Readable.prototype, Stream.prototype);
Object.setPrototypeOf(rs.Writable.prototype, Stream.prototype);
Stream.Stream = Stream;
Stream.Readable = rs.Readable;
Stream.Writable = rs.Writable;
Stream.Duplex = rs.Duplex;
Stream.Transform = rs.Transform;
Stream.PassThrough = rs.PassThrough;
Stream.finished = rs.finished;
Stream.pipeline = rs.pipeline;
Stream.promises = {
  pipeline: (...streams) => new Promise((resolve, reject) => rs.pipeline(...streams, (e) => (e ? reject(e) : resolve()))),
  finished: (s, o) => new Promise((resolve, reject) => rs.finished(s, o || {}, (e) => (e ? reject(e) : resolve())))
};
module.exports = Stream;
