exports = async function() {
  const qs = require('qs');
  const bcrypt = require('bcryptjs');
  const hash = bcrypt.hashSync('s3cret', 4);
  const xml = await require('xml2js').parseStringPromise('<order id="7"><item>tea</item><item>milk</item></order>');
  return { qs: qs.stringify({ a: { b: [1, 2] } }), parsed: qs.parse('filter[name]=x&filter[tags][]=a&filter[tags][]=b'),
    bcrypt: [bcrypt.compareSync('s3cret', hash), bcrypt.compareSync('wrong', hash)], xml,
    placeholderCrypto: require('crypto').createHash('sha1').update('x').digest('hex'),
    interop: [typeof require('moment').default, require('axios').default === require('axios')] };
};
