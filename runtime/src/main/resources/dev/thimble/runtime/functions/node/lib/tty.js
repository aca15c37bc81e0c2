'use strict';
module.exports = { isatty() { return false; }, ReadStream: function ReadStream() { throw new Error('tty.ReadStream is not available in Thimble functions'); },
  WriteStream: function WriteStream() { throw new Error('tty.WriteStream is not available in Thimble functions'); } };
