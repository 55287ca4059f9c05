import { killCommand } from '../../backend/src/sources/openvpn/session-kill';

describe('killCommand', () => {
  it('names the session by client id when the server reported one', () => {
    expect(killCommand({ clientId: 7, commonName: 'alice' })).toBe('client-kill 7');
    expect(killCommand({ clientId: 0, commonName: 'alice' })).toBe('client-kill 0');
  });

  it('falls back to the common name for servers without client ids', () => {
    expect(killCommand({ clientId: null, commonName: 'alice.smith@example.org' })).toBe('kill alice.smith@example.org');
  });

  it('quotes a common name with blanks or quotes the way OpenVPN parses commands', () => {
    expect(killCommand({ clientId: null, commonName: 'Alice Smith' })).toBe('kill "Alice Smith"');
    expect(killCommand({ clientId: null, commonName: 'say "hi" \\o/' })).toBe('kill "say \\"hi\\" \\\\o/"');
  });
});
