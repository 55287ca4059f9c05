import fc from 'fast-check';
import { classifyPppdMessage, classifyPptpdMessage, unescapePppdQuoted } from '../../backend/src/parsers/pppd-message';

describe('classifyPppdMessage', () => {
  it.each([
    ['pppd 2.4.9 started by root, uid 0', { kind: 'start', version: '2.4.9' }],
    ['Using interface ppp12', { kind: 'interface', name: 'ppp12' }],
    ['Connect: ppp0 <--> /dev/pts/3', { kind: 'interface', name: 'ppp0', tty: '/dev/pts/3' }],
    ['peer from calling number 198.18.7.21 authorized', { kind: 'calling-number', number: '198.18.7.21' }],
    ['PAP peer authentication succeeded for bob', { kind: 'auth-success', user: 'bob', method: 'PAP' }],
    ['Peer bob authenticated with PAP', { kind: 'auth-success', user: 'bob', method: 'PAP' }],
    ['Peer frank authenticated with CHAP', { kind: 'auth-success', user: 'frank', method: 'CHAP' }],
    ['Peer eve authenticated with EAP', { kind: 'auth-success', user: 'eve', method: 'EAP' }],
    [
      'Peer carol failed CHAP authentication',
      { kind: 'auth-failure', user: 'carol', method: 'CHAP', detail: 'CHAP authentication failed' },
    ],
    [
      'Peer carol failed CHAP Session verification',
      { kind: 'auth-failure', user: 'carol', method: 'CHAP', detail: 'CHAP session verification failed' },
    ],
    [
      'PAP peer authentication failed for mallory',
      { kind: 'auth-failure', user: 'mallory', method: 'PAP', detail: 'PAP authentication failed' },
    ],
    [
      'EAP: MSCHAPv2 failure for peer trent',
      { kind: 'auth-failure', user: 'trent', method: 'EAP', detail: 'MSCHAPv2 failure' },
    ],
    [
      'pptpd-logwtmp.so ip-up ppp0 alice 198.18.7.21',
      { kind: 'ip-up', name: 'ppp0', user: 'alice', callingNumber: '198.18.7.21' },
    ],
    [
      'pptpd-logwtmp.so ip-up ppp0  198.18.7.21',
      { kind: 'ip-up', name: 'ppp0', user: '', callingNumber: '198.18.7.21' },
    ],
    ['local  IP address 198.19.0.1', { kind: 'local-ip', ip: '198.19.0.1' }],
    ['local IP address 198.19.0.1', { kind: 'local-ip', ip: '198.19.0.1' }],
    ['remote IP address 198.19.0.10', { kind: 'remote-ip', ip: '198.19.0.10' }],
    ['LCP terminated by peer (^]M-QM-z)', { kind: 'end-reason', reason: 'peer-terminated' }],
    ['Modem hangup', { kind: 'end-reason', reason: 'hangup' }],
    ['No response to 4 echo-requests', { kind: 'end-reason', reason: 'echo-timeout' }],
    ['Serial link appears to be disconnected.', { kind: 'end-reason', reason: 'echo-timeout' }],
    ['Terminating on signal 15', { kind: 'end-reason', reason: 'signal' }],
    ['Terminating connection due to lack of activity.', { kind: 'end-reason', reason: 'idle-timeout' }],
    ['Connect time expired', { kind: 'end-reason', reason: 'connect-time-limit' }],
    ['Connection terminated.', { kind: 'end-reason', reason: 'terminated' }],
    ['Connect time 4.2 minutes.', { kind: 'connect-time', seconds: 252 }],
    ['Sent 4294967296 bytes, received 12 bytes.', { kind: 'bytes', sent: 4294967296, received: 12 }],
    ['Exit.', { kind: 'exit' }],
  ])('%s', (message, expected) => {
    expect(classifyPppdMessage(message)).toEqual(expected);
  });

  it.each([
    'rcvd [LCP ConfReq id=0x1 <asyncmap 0x0>]',
    'sent [CHAP Success id=0x3c "S=3B8E M=Access granted"]',
    'Plugin /usr/lib/pptpd/pptpd-logwtmp.so loaded.',
    'pppd options in effect:',
    'local  LL address fe80::1',
    'pptpd-logwtmp.so ip-down ppp0',
    'MPPE 128-bit stateless compression enabled',
    'Script /etc/ppp/ip-up started (pid 4250)',
    '',
  ])('%j is not a session line', (message) => {
    expect(classifyPppdMessage(message)).toBeNull();
  });

  it.each([
    ['Sent 1882211 bytes, recei', 'Sent/received'],
    ['remote IP address 198.19.0', 'remote IP address'],
    ['local  IP address 198.19.0.999', 'local IP address'],
    ['pppd 2.4.9 started by ro', 'pppd started by'],
    ['Connect time 4.', 'Connect time'],
    ['Using interface ppp0Nov 21 16:20:15 vpn1 pppd[4512]: Exit.', 'Using interface'],
    ['peer from calling number 198.18.7.21 autho', 'calling number'],
    ['pptpd-logwtmp.so ip-up ppp0 alice 198.18.7', 'pptpd-logwtmp ip-up'],
  ])('%j is malformed', (message, expected) => {
    expect(classifyPppdMessage(message)).toEqual({ kind: 'malformed', expected });
  });

  it('undoes pppd %q escaping in user names', () => {
    expect(classifyPppdMessage('Peer CORP\\\\frank authenticated with CHAP')).toMatchObject({ user: 'CORP\\frank' });
    expect(unescapePppdQuoted('a\\"b\\tc\\x41')).toBe('a"b\tcA');
  });

  it('never throws, whatever the message', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.constantFrom('', 'Sent ', 'Peer ', 'pppd ', 'local  IP', 'CTRL: Client '),
        (tail, head) => {
          classifyPppdMessage(head + tail);
          classifyPptpdMessage(head + tail);
          unescapePppdQuoted(head + tail);
        }
      ),
      { numRuns: 2000 }
    );
  });
});

describe('classifyPptpdMessage', () => {
  it.each([
    ['CTRL: Client 198.18.7.21 control connection started', { kind: 'control-started', clientIp: '198.18.7.21' }],
    ['CTRL: Client 198.18.7.21 control connection finished', { kind: 'control-finished', clientIp: '198.18.7.21' }],
    ['CTRL: Reaping child PPP[4242]', { kind: 'reaping', pppdPid: 4242 }],
    ['CTRL: Client 198.18.7 control conn', { kind: 'malformed', expected: 'CTRL: Client control connection' }],
    ['CTRL: Starting call (launching pppd, opening GRE)', null],
    ['GRE: read(fd=6,buffer=611620,len=8196) from PTY failed: status = -1', null],
    ['MGR: Manager process started', null],
  ])('%s', (message, expected) => {
    expect(classifyPptpdMessage(message)).toEqual(expected);
  });
});
