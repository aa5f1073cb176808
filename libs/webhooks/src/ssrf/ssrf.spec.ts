import { describe, expect, it, jest } from '@jest/globals';
import { SSRF_BLOCKED_ADDRESSES, SSRF_PUBLIC_ADDRESSES } from '#libs/testing';
import { addressBlockReason } from './address-policy.js';
import { BlockedDestinationError, type HostResolver, resolveChecked } from './resolve-checked.js';
import { webhookUrlProblem } from './url-policy.js';

const strict = { allowLoopback: false };
const local = { allowLoopback: true };

const BLOCKED = SSRF_BLOCKED_ADDRESSES;
const PUBLIC = SSRF_PUBLIC_ADDRESSES;

describe('SSRF guard: addresses', () => {
  it.each(BLOCKED)('refuses %s (%s)', (address) => {
    expect(addressBlockReason(address, strict)).toEqual(expect.stringContaining('blocked range'));
  });

  it.each(PUBLIC)('lets the public address %s through', (address) => {
    expect(addressBlockReason(address, strict)).toBeUndefined();
  });

  it('lets loopback through only with WEBHOOKS_ALLOW_LOOPBACK, and nothing else with it', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(addressBlockReason(address, local)).toBeUndefined();
    }
    for (const address of ['10.0.0.1', '169.254.169.254', 'fd00::1', '0.0.0.0', '::']) {
      expect(addressBlockReason(address, local)).toBeDefined();
    }
  });

  it('refuses what is not an address at all', () => {
    expect(addressBlockReason('example.com', local)).toContain('not an IP address');
  });
});

describe('SSRF guard: webhookUrl at submit', () => {
  const aws = { allowLoopback: false, httpsOnly: true };
  const dev = { allowLoopback: true, httpsOnly: false };

  it.each([
    ['http://example.com/hook', 'must be an https URL'],
    ['https://example.com:8443/hook', 'must use port 443'],
    ['ftp://example.com/hook', 'must be an https URL'],
    ['https://user:pw@example.com/hook', 'must not hold credentials'],
    ['https://example.com/hook#x', 'must not have a fragment'],
    ['not a url', 'must be an absolute URL'],
    ['https://localhost/hook', 'localhost'],
    ['https://api.localhost/hook', 'localhost'],
    ['https://metadata/hook', 'must name a host with a domain'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['https://10.1.2.3/hook', 'private'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[fd00:ec2::254]/hook', 'uniqueLocal'],
    ['https://[::ffff:169.254.169.254]/hook', 'linkLocal'],
    // WHATWG URL parsing normalises the obfuscated forms before the check
    ['https://2130706433/hook', 'loopback'],
    ['https://0x7f.1/hook', 'loopback'],
    ['https://0251.0376.0251.0376/hook', 'linkLocal'],
    [`https://example.com/${'a'.repeat(2048)}`, 'at most 2048'],
  ])('refuses %s in AWS', (url, expected) => {
    expect(webhookUrlProblem(url, aws)).toContain(expected);
  });

  it.each(['https://example.com/hook', 'https://hooks.example.com:443/a?b=c', 'https://93.184.215.14/hook'])(
    'accepts %s in AWS',
    (url) => {
      expect(webhookUrlProblem(url, aws)).toBeUndefined();
    },
  );

  it('locally accepts http and loopback receivers, and still refuses private addresses', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8123/hook', dev)).toBeUndefined();
    expect(webhookUrlProblem('http://localhost:8123/hook', dev)).toBeUndefined();
    expect(webhookUrlProblem('http://10.0.0.1/hook', dev)).toContain('private');
    expect(webhookUrlProblem('http://169.254.169.254/', dev)).toContain('linkLocal');
    expect(webhookUrlProblem('file:///etc/passwd', dev)).toContain('http or https');
  });
});

describe('SSRF guard: resolution at delivery', () => {
  it('refuses a host when ANY of its addresses is blocked', async () => {
    const resolver: HostResolver = () =>
      Promise.resolve([
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]);
    await expect(resolveChecked('mixed.example.com', strict, resolver)).rejects.toThrow(BlockedDestinationError);
  });

  it('refuses a host that resolves to the metadata address over IPv4-mapped IPv6', async () => {
    const resolver: HostResolver = () => Promise.resolve([{ address: '::ffff:169.254.169.254', family: 6 }]);
    await expect(resolveChecked('sneaky.example.com', strict, resolver)).rejects.toThrow(/linkLocal/);
  });

  it('refuses a host with no address', async () => {
    await expect(resolveChecked('empty.example.com', strict, () => Promise.resolve([]))).rejects.toThrow(
      BlockedDestinationError,
    );
  });

  it('resolves once and answers the checked address', async () => {
    const resolver = jest.fn<HostResolver>(() => Promise.resolve([{ address: '93.184.215.14', family: 4 }]));
    await expect(resolveChecked('ok.example.com', strict, resolver)).resolves.toEqual({
      address: '93.184.215.14',
      family: 4,
    });
    expect(resolver).toHaveBeenCalledTimes(1);
  });

  it('checks an IP literal without resolving it', async () => {
    const resolver = jest.fn<HostResolver>();
    await expect(resolveChecked('[::1]', strict, resolver)).rejects.toThrow(/loopback/);
    await expect(resolveChecked('[::1]', local, resolver)).resolves.toEqual({ address: '::1', family: 6 });
    expect(resolver).not.toHaveBeenCalled();
  });
});
