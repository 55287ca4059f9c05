import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  ManagementFramer,
  parseStateLine,
  replyShapeOf,
  type ManagementMessage,
  type ReplyShape,
} from '../../backend/src/parsers/management-protocol';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/openvpn-2.6.14');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

/** The commands that produced mgmt-status-kill.txt, in order (see the server's `MANAGEMENT: CMD` log lines). */
const STATUS_KILL_COMMANDS = [
  'status 1',
  'status 2',
  'bytecount 2',
  'kill user2',
  'client-kill 0',
  'kill nosuch',
  'client-kill 99',
  'bogus',
  'state',
  'hold',
  'pid',
];

function framerExpecting(shapes: ReplyShape[], maxLineLength?: number): ManagementFramer {
  const framer = new ManagementFramer(maxLineLength);
  shapes.forEach((shape) => framer.expectReply(shape));
  return framer;
}

function feed(chunks: string[], shapes: ReplyShape[] = [], maxLineLength?: number): ManagementMessage[] {
  const framer = framerExpecting(shapes, maxLineLength);
  return chunks.flatMap((chunk) => framer.push(chunk));
}

const replies = (messages: ManagementMessage[]) => messages.filter((message) => message.type === 'reply');
const issues = (messages: ManagementMessage[]) => messages.filter((message) => message.type === 'issue');

describe('ManagementFramer on the real status/kill session', () => {
  const stream = read('mgmt-status-kill.txt');
  const shapes = STATUS_KILL_COMMANDS.map(replyShapeOf);
  const messages = feed([stream], shapes);

  it('answers every command in order, notifications in between, and finds nothing wrong', () => {
    expect(messages.map((message) => message.type)).toEqual([
      'info',
      'reply',
      'reply',
      'reply',
      ...Array(6).fill('bytecount-client'),
      'notification',
      'bytecount-client',
      'bytecount-client',
      'reply',
      'bytecount-client',
      'bytecount-client',
      'bytecount-client',
      'reply',
      'reply',
      'reply',
      'reply',
      'reply',
      'reply',
      'reply',
    ]);
    expect(issues(messages)).toEqual([]);
  });

  it('collects status replies up to END and keeps one-line replies with their verdict', () => {
    const [status1, status2, bytecount, kill, clientKill, killNosuch, clientKill99, bogus, state, hold, pid] =
      replies(messages);
    expect(status1).toMatchObject({ ok: true, text: '' });
    expect(status1.lines[0]).toBe('OpenVPN CLIENT LIST');
    expect(status1.lines).toHaveLength(16);
    expect(status2.lines[0]).toMatch(/^TITLE,OpenVPN 2\.6\.14/);
    expect(status2.lines.at(-1)).toBe('GLOBAL_STATS,dco_enabled,0');
    expect(bytecount).toEqual({ type: 'reply', ok: true, text: 'bytecount interval changed', lines: [] });
    expect(kill).toMatchObject({ ok: true, text: "common name 'user2' found, 1 client(s) killed" });
    expect(clientKill).toMatchObject({ ok: true, text: 'client-kill command succeeded' });
    expect(killNosuch).toMatchObject({ ok: false, text: "common name 'nosuch' not found" });
    expect(clientKill99).toMatchObject({ ok: false, text: 'client-kill command failed' });
    expect(bogus).toMatchObject({ ok: false, text: "unknown command, enter 'help' for more options" });
    expect(state.lines.map(parseStateLine)).toEqual([{ time: 1795275408, state: 'CONNECTED', description: 'SUCCESS' }]);
    expect(hold).toMatchObject({ ok: true, text: 'hold=0' });
    expect(pid).toMatchObject({ ok: true, text: 'pid=3535' });
  });

  it('reads byte counts per client id and passes NOTIFY through', () => {
    expect(messages[4]).toEqual({ type: 'bytecount-client', clientId: 2, bytesIn: 2381, bytesOut: 2403 });
    expect(messages[10]).toEqual({ type: 'notification', name: 'NOTIFY', text: 'info,remote-exit,EXIT' });
  });

  it('gives the same messages when the stream is split in two at every position', () => {
    for (let at = 0; at <= stream.length; at++) {
      expect(feed([stream.slice(0, at), stream.slice(at)], shapes)).toEqual(messages);
    }
  });

  it('gives the same messages however the stream is chunked', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: stream.length }), { maxLength: 30 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
        const chunks = points.slice(1).map((end, i) => stream.slice(points[i], end));
        expect(feed(chunks, shapes)).toEqual(messages);
      })
    );
  });
});

describe('ManagementFramer on notifications', () => {
  it('keeps a status reply whole when byte counts arrive in the middle of it', () => {
    const lines = ['TITLE,OpenVPN 2.6.14', 'TIME,2026-11-21 15:37:01,1795275421', 'CLIENT_LIST,user1,198.18.0.2:38842'];
    const stream = [
      lines[0],
      '>BYTECOUNT_CLI:0,2419,2443',
      lines[1],
      '>BYTECOUNT_CLI:1,10,20',
      lines[2],
      'END',
      '',
    ].join('\r\n');
    expect(feed([stream], [['block']])).toEqual([
      { type: 'bytecount-client', clientId: 0, bytesIn: 2419, bytesOut: 2443 },
      { type: 'bytecount-client', clientId: 1, bytesIn: 10, bytesOut: 20 },
      { type: 'reply', ok: true, text: '', lines },
    ]);
  });

  it('assembles the ENV lines of a real ESTABLISHED into one message', () => {
    const messages = feed([read('mgmt-established.txt')]);
    expect(messages.map((message) => message.type)).toEqual(['info', 'client-established', 'notification']);
    const established = messages[1];
    expect(established.type === 'client-established' && established.clientId).toBe(6);
    expect(established.type === 'client-established' && established.env).toMatchObject({
      common_name: 'user5',
      trusted_ip: '198.18.0.2',
      trusted_port: '39836',
      ifconfig_pool_remote_ip: '198.19.0.6',
      IV_GUI_VER: 'org.example.vpn.linux_1.0.0',
      time_unix: '1795275466',
    });
    expect(established.type === 'client-established' && Object.keys(established.env)).toHaveLength(57);
  });

  it('reads the log history of `log on all`, then live log lines and a new client', () => {
    const messages = feed([read('mgmt-log-on-all.txt')], [replyShapeOf('log on all')]);
    const [history] = replies(messages);
    expect(history.ok).toBe(true);
    expect(history.text).toBe('real-time log notification set to ON');
    expect(history.lines[0]).toBe('1795275408,I,net_iface_mtu_set: mtu 1500 for tun0');
    expect(history.lines.at(-1)).toBe("1795275491,D,MANAGEMENT: CMD 'log on all'");
    expect(messages.filter((message) => message.type === 'log')).toHaveLength(28);
    expect(messages.find((message) => message.type === 'log')).toEqual({
      type: 'log',
      time: 1795275493,
      flags: '',
      message: '198.18.0.2:43983 VERIFY OK: depth=1, CN=lab-ca',
    });
    expect(messages.filter((message) => message.type === 'client-established')).toHaveLength(1);
    expect(issues(messages)).toEqual([]);
  });

  it('reads a DISCONNECT with its ENV, and other CLIENT events as plain notifications', () => {
    const stream = [
      '>CLIENT:CONNECT,4,1',
      '>CLIENT:ENV,common_name=eve',
      '>CLIENT:ENV,END',
      '>CLIENT:ADDRESS,4,198.19.0.9,1',
      '>CLIENT:DISCONNECT,4',
      '>CLIENT:ENV,bytes_received=100',
      '>CLIENT:ENV,note=a=b,c',
      '>CLIENT:ENV,END',
      '',
    ].join('\r\n');
    expect(feed([stream])).toEqual([
      { type: 'notification', name: 'CLIENT', text: 'CONNECT,4,1' },
      { type: 'notification', name: 'CLIENT', text: 'ADDRESS,4,198.19.0.9,1' },
      { type: 'client-disconnect', clientId: 4, env: { bytes_received: '100', note: 'a=b,c' } },
    ]);
  });

  it('reads STATE, BYTECOUNT, HOLD and unknown notifications', () => {
    const stream =
      '>STATE:1795275408,CONNECTED,SUCCESS,198.19.0.1,,,,\r\n>BYTECOUNT:5,6\r\n>HOLD:Waiting for hold release:0\r\n>X-NEW:1\r\n';
    expect(feed([stream])).toEqual([
      { type: 'state', time: 1795275408, state: 'CONNECTED', description: 'SUCCESS' },
      { type: 'bytecount', bytesIn: 5, bytesOut: 6 },
      { type: 'notification', name: 'HOLD', text: 'Waiting for hold release:0' },
      { type: 'notification', name: 'X-NEW', text: '1' },
    ]);
  });

  it('stores an ENV variable named __proto__ as data, not as a prototype', () => {
    const [message] = feed(['>CLIENT:ESTABLISHED,1\r\n>CLIENT:ENV,__proto__=x\r\n>CLIENT:ENV,END\r\n']);
    expect(message.type === 'client-established' && Object.getPrototypeOf(message.env)).toBe(Object.prototype);
    expect(message.type === 'client-established' && Object.hasOwn(message.env, '__proto__')).toBe(true);
  });
});

describe('ManagementFramer on the password prompt', () => {
  it('sees ENTER PASSWORD: without a line ending, even split across chunks', () => {
    const framer = new ManagementFramer();
    expect(framer.push('ENTER PASS')).toEqual([]);
    expect(framer.push('WORD:')).toEqual([{ type: 'password-prompt' }]);
    framer.expectReply(['line']);
    expect(
      framer.push(
        "SUCCESS: password is correct\r\n>INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info\r\n"
      )
    ).toEqual([
      { type: 'reply', ok: true, text: 'password is correct', lines: [] },
      { type: 'info', text: "OpenVPN Management Interface Version 5 -- type 'help' for more info" },
    ]);
  });

  it('sees the prompt again after a bad password (2.6 sends no ERROR line)', () => {
    const framer = new ManagementFramer();
    expect(framer.push('ENTER PASSWORD:')).toEqual([{ type: 'password-prompt' }]);
    expect(framer.push('ENTER PASSWORD:')).toEqual([{ type: 'password-prompt' }]);
  });

  it('answers the password line with ERROR: bad password as a failed reply', () => {
    expect(feed(['ENTER PASSWORD:', 'ERROR: bad password\r\nENTER PASSWORD:'], [['line']])).toEqual([
      { type: 'password-prompt' },
      { type: 'reply', ok: false, text: 'bad password', lines: [] },
      { type: 'password-prompt' },
    ]);
  });
});

describe('ManagementFramer on bad input', () => {
  it('counts garbage lines as issues with their line number and carries on', () => {
    const messages = feed([
      'junk\r\n\r\n>no colon\r\n>BYTECOUNT_CLI:x,1,2\r\n>LOG:not a log line\r\nSUCCESS: stray\r\n>INFO:ok\r\n',
    ]);
    expect(issues(messages).map((message) => message.type === 'issue' && message.issue)).toEqual([
      { line: 1, message: 'unexpected line "junk"' },
      { line: 2, message: 'unexpected line ""' },
      { line: 3, message: 'malformed notification ">no colon"' },
      { line: 4, message: 'malformed notification ">BYTECOUNT_CLI:x,1,2"' },
      { line: 5, message: 'malformed notification ">LOG:not a log line"' },
      { line: 6, message: 'reply "SUCCESS: stray" came while no command was waiting' },
    ]);
    expect(messages.at(-1)).toEqual({ type: 'info', text: 'ok' });
  });

  it('waits past a line that is no verdict for a one-line reply', () => {
    const messages = feed(['OpenVPN Version: x\r\nSUCCESS: pid=1\r\n'], [['line']]);
    expect(messages).toEqual([
      { type: 'issue', issue: { line: 1, message: 'expected SUCCESS or ERROR, got "OpenVPN Version: x"' } },
      { type: 'reply', ok: true, text: 'pid=1', lines: [] },
    ]);
  });

  it('reports ENV lines outside a client event and a client event cut short', () => {
    const stream =
      '>CLIENT:ENV,a=b\r\n>CLIENT:ESTABLISHED,1\r\n>CLIENT:ENV,broken\r\n>CLIENT:ESTABLISHED,2\r\n>CLIENT:ENV,END\r\n>CLIENT:DISCONNECT,x\r\n>CLIENT:ENV,END\r\n';
    expect(feed([stream])).toEqual([
      { type: 'issue', issue: { line: 1, message: '>CLIENT:ENV outside a client notification' } },
      { type: 'issue', issue: { line: 3, message: 'malformed ENV line "broken"' } },
      { type: 'issue', issue: { line: 4, message: '>CLIENT:ESTABLISHED,1 ended without ENV,END' } },
      { type: 'client-established', clientId: 2, env: {} },
      { type: 'issue', issue: { line: 7, message: '>CLIENT:DISCONNECT,x has no numeric client id' } },
    ]);
  });

  it('ends a block command that the server refuses with one ERROR line', () => {
    expect(feed(["ERROR: The 'status' command is not supported by the current daemon mode\r\n"], [['block']])).toEqual([
      { type: 'reply', ok: false, text: "The 'status' command is not supported by the current daemon mode", lines: [] },
    ]);
  });

  it('drops an overlong line, whole or in pieces, and keeps the next one', () => {
    const stream = `${'x'.repeat(50)}\r\nSUCCESS: ok\r\n`;
    const expected = [
      { type: 'issue', issue: { line: 1, message: 'line longer than 20 characters dropped' } },
      { type: 'reply', ok: true, text: 'ok', lines: [] },
    ];
    expect(feed([stream], [['line']], 20)).toEqual(expected);
    expect(feed(stream.match(/.{1,7}/gs) ?? [], [['line']], 20)).toEqual(expected);
  });

  it('keeps a line of exactly the limit whose \\r\\n is split across chunks', () => {
    const line = 'y'.repeat(20);
    const expected = feed([`${line}\r\nSUCCESS: ok\r\n`], [['line']], 20);
    expect(expected[0]).toEqual({
      type: 'issue',
      issue: { line: 1, message: `expected SUCCESS or ERROR, got "${line}"` },
    });
    expect(feed([`${line}\r`, '\nSUCCESS: ok\r\n'], [['line']], 20)).toEqual(expected);
  });

  const token = fc.oneof(
    fc.constantFrom(
      'ENTER PASSWORD:',
      'SUCCESS: pid=1\r\n',
      'ERROR: unknown command\r\n',
      'END\r\n',
      '>BYTECOUNT_CLI:1,2,3\r\n',
      '>CLIENT:ESTABLISHED,7\r\n',
      '>CLIENT:ENV,a=b\r\n',
      '>CLIENT:ENV,END\r\n',
      '>LOG:1795275408,I,hello\r\n',
      'TITLE,x\r\n',
      '\r',
      '\n',
      '>'
    ),
    fc.string({ maxLength: 30 })
  );
  const shape = fc.array(fc.constantFrom<'line' | 'block'>('line', 'block'), { maxLength: 3 });

  it('never throws and gives the same messages however any stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 40 }),
        fc.array(shape, { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (tokens, shapes, rawCuts) => {
          const stream = tokens.join('');
          const whole = feed([stream], shapes, 40);
          const cuts = [...new Set(rawCuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
          const points = [0, ...cuts, stream.length];
          const chunks = points.slice(1).map((end, i) => stream.slice(points[i], end));
          expect(feed(chunks, shapes, 40)).toEqual(whole);
        }
      ),
      { numRuns: 500 }
    );
  });
});

describe('replyShapeOf', () => {
  it.each<[string, ReplyShape]>([
    ['status 3', ['block']],
    ['status', ['block']],
    ['version', ['block']],
    ['version 1', []],
    ['help', ['block']],
    ['log on all', ['line', 'block']],
    ['log all', ['block']],
    ['log 20', ['block']],
    ['log on', ['line']],
    ['state', ['block']],
    ['state on', ['line']],
    ['echo on all', ['line', 'block']],
    ['bytecount 5', ['line']],
    ['load-stats', ['line']],
    ['kill user2', ['line']],
    ['quit', []],
  ])('knows how OpenVPN answers %j', (command, expected) => {
    expect(replyShapeOf(command)).toEqual(expected);
  });
});
