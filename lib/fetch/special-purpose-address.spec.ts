import { isIpLiteralHost, isSpecialPurposeAddress } from './special-purpose-address.js';

describe('isSpecialPurposeAddress', () => {
  it.each([
    '0.0.0.0',
    '10.0.0.1',
    '100.64.0.1',
    '127.0.0.1',
    '127.255.255.254',
    '169.254.169.254',
    '172.16.0.1',
    '192.0.0.8',
    '192.0.2.1',
    '192.168.1.1',
    '198.18.0.1',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '[::1]',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '2001:db8::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '::ffff:10.1.2.3',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::1',
    '2002:7f00:1::1',
    'not an address',
  ])('%s is special-purpose', (address) => {
    expect(isSpecialPurposeAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '93.184.215.14', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    '%s is public',
    (address) => {
      expect(isSpecialPurposeAddress(address)).toBe(false);
    },
  );
});

describe('isIpLiteralHost', () => {
  it('tells WHATWG-normalised IP hosts from names', () => {
    expect(isIpLiteralHost(new URL('https://0x7f.1/').hostname)).toBe(true);
    expect(isIpLiteralHost(new URL('https://[::ffff:169.254.169.254]/').hostname)).toBe(true);
    expect(isIpLiteralHost('example.com')).toBe(false);
    expect(isIpLiteralHost('1.2.3.4.example')).toBe(false);
  });
});
