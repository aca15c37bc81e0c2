exports = function() {
  const CryptoJS = require('crypto-js');
  const hmacSha256 = require('crypto-js/hmac-sha256');
  const { Base64 } = require('js-base64');
  const { jwtDecode } = require('jwt-decode');
  const encrypted = CryptoJS.AES.encrypt('meet at noon', 'passphrase').toString();
  return { hmac: hmacSha256('msg', 'key').toString(), sha256: CryptoJS.SHA256('abc').toString(CryptoJS.enc.Base64),
    aes: CryptoJS.AES.decrypt(encrypted, 'passphrase').toString(CryptoJS.enc.Utf8),
    base64: Base64.encode('日本'), unbase64: Base64.decode('5pel5pys'), urlSafe: Base64.encodeURI('??>>'),
    jwt: jwtDecode('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSIsIm5hbWUiOiJBbGljZSJ9.sig') };
};
