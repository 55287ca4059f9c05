import fc from 'fast-check';
import { countPptpdAddresses, parsePptpdConfig } from '../../backend/src/parsers/pptpd-config';

describe('parsePptpdConfig', () => {
  it('sizes the pool by the remoteip ranges when one local address is shared', () => {
    const { value, issues } = parsePptpdConfig(
      [
        '# /etc/pptpd.conf',
        'option /etc/ppp/pptpd-options',
        'logwtmp',
        'localip 198.19.0.1',
        'remoteip 198.19.0.234-238,198.19.0.245',
        '',
      ].join('\n')
    );
    expect(issues).toEqual([]);
    expect(value).toEqual({
      connections: 100,
      delegate: false,
      localip: { written: '198.19.0.1', count: 1 },
      remoteip: { written: '198.19.0.234-238,198.19.0.245', count: 6 },
      poolSize: 6,
    });
  });

  it('pairs local and remote addresses one to one when several local ones are given', () => {
    const { value } = parsePptpdConfig('localip 198.19.0.1-4\nremoteip 198.19.1.1-100\n');
    expect(value.poolSize).toBe(4);
  });

  it('caps addresses at the connections limit', () => {
    const { value } = parsePptpdConfig('connections 3\nlocalip 198.19.0.1\nremoteip 198.19.1.1-100\n');
    expect(value.remoteip.count).toBe(3);
    expect(value.poolSize).toBe(3);
  });

  it("falls back to pptpd's built-in lists when the lines are missing", () => {
    const { value } = parsePptpdConfig('option /etc/ppp/pptpd-options\n');
    expect(value.localip).toEqual({ written: null, count: 100 });
    expect(value.remoteip).toEqual({ written: null, count: 100 });
    expect(value.poolSize).toBe(100);
  });

  it('with delegate, leaves addresses to pppd and limits only by connections', () => {
    const { value } = parsePptpdConfig('delegate\nconnections 40\nremoteip 198.19.1.1-5\n');
    expect(value).toMatchObject({ delegate: true, poolSize: 40 });
  });

  it('takes the first line of a keyword, like pptpd, and skips comments', () => {
    const { value } = parsePptpdConfig('#remoteip 198.19.9.1-200\nremoteip 198.19.1.1-10\nremoteip 198.19.2.1-50\n');
    expect(value.remoteip).toEqual({ written: '198.19.1.1-10', count: 10 });
  });

  it('reports what pptpd would reject, with the line it is on', () => {
    const { value, issues } = parsePptpdConfig(
      [
        'connections many',
        'localip 198.19.0.1',
        ' remoteip 198.19.5.1-9',
        'remoteip 198.19.0.10-12,198.19.0.300,,vpn-pool.example',
      ].join('\n')
    );
    expect(value.remoteip.count).toBe(4);
    expect(issues).toEqual([
      { line: 3, message: 'line starts with whitespace; pptpd ignores it' },
      { line: 1, message: 'connections "many" is not a positive number; pptpd uses 100' },
      { line: 4, message: '"198.19.0.300" is neither an address nor a range' },
      { line: 4, message: '"" is neither an address nor a range' },
    ]);
  });
});

describe('countPptpdAddresses', () => {
  it.each([
    ['198.19.0.234-238', 5],
    ['198.18-19.0.1', 2],
    ['198-199.18.0.1', 2],
    ['198.19.0-3.1', 4],
    ['198.19.0.9-3', 0],
    ['198.19.0.1,198.19.0.2', 2],
  ])('%s names %i addresses', (value, count) => {
    expect(countPptpdAddresses(value)).toEqual({ count, problems: [] });
  });

  it('rejects octets beyond 255 in a range', () => {
    expect(countPptpdAddresses('198.19.0.250-300')).toEqual({
      count: 0,
      problems: ['"198.19.0.250-300" is not an address range pptpd accepts'],
    });
  });

  it('counts any range as pptpd would expand it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        (octet, lower, upper) => {
          const parts = ['198', '19', '0', '1'];
          parts[octet] = `${lower}-${upper}`;
          expect(countPptpdAddresses(parts.join('.')).count).toBe(Math.max(0, upper - lower + 1));
        }
      )
    );
  });

  it('never throws, whatever the config text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        parsePptpdConfig(text);
        parsePptpdConfig(`remoteip ${text}`);
      })
    );
  });
});
