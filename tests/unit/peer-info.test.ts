import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { clientInfoFromPeerInfo } from '../../backend/src/parsers/peer-info';
import { ManagementFramer } from '../../backend/src/parsers/management-protocol';

const fixtures = path.resolve(__dirname, '../../../shared/fixtures/openvpn-2.6.14');

describe('clientInfoFromPeerInfo', () => {
  it('reads app, version, platform and client version of a real ESTABLISHED notification', () => {
    const messages = new ManagementFramer().push(fs.readFileSync(path.join(fixtures, 'mgmt-established.txt'), 'utf8'));
    const established = messages.find((message) => message.type === 'client-established');
    expect(established?.type === 'client-established' && clientInfoFromPeerInfo(established.env)).toEqual({
      app: 'org.example.vpn.linux',
      appVersion: '1.0.0',
      platform: 'linux',
      platformVersion: '6.18.44-fc-v595',
      clientVersion: '2.6.14',
    });
  });

  it.each([
    ['org.eduvpn.app.windows_4.1.0', 'org.eduvpn.app.windows', '4.1.0'],
    ['OCWindows_3.2.0-1064', 'OCWindows', '3.2.0-1064'],
    ['Tunnelkey_desktop_1.2.3', 'Tunnelkey_desktop', '1.2.3'],
    ['my_app_2_3.4', 'my_app_2', '3.4'],
    ['de.blinkt.openvpn 0.6.17', 'de.blinkt.openvpn', '0.6.17'],
    ['org.example.beta_app', 'org.example.beta_app', null],
    ['HTTP Custom v3.7.3 (405)', 'HTTP Custom v3.7.3 (405)', null],
    ['_1.0', '_1.0', null],
  ])('splits IV_GUI_VER %j into app %j and version %j', (gui, app, appVersion) => {
    expect(clientInfoFromPeerInfo({ IV_GUI_VER: gui })).toMatchObject({ app, appVersion });
  });

  it('calls an app that sent no IV_GUI_VER unknown, and missing or blank facts null', () => {
    expect(clientInfoFromPeerInfo({ IV_PLAT: ' ', IV_VER: '2.4.12' })).toEqual({
      app: 'unknown',
      appVersion: null,
      platform: null,
      platformVersion: null,
      clientVersion: '2.4.12',
    });
    expect(clientInfoFromPeerInfo({ IV_GUI_VER: '' }).app).toBe('unknown');
  });

  it('does not read inherited properties as peer info', () => {
    expect(clientInfoFromPeerInfo(Object.create({ IV_PLAT: 'win' }) as Record<string, string>).platform).toBeNull();
  });

  it('never throws and always names an app', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('IV_GUI_VER', 'IV_PLAT', 'IV_PLAT_VER', 'IV_VER', 'X'), fc.string()),
        (env) => {
          const info = clientInfoFromPeerInfo(env);
          expect(info.app.length).toBeGreaterThan(0);
          if (info.appVersion !== null) {
            expect(`${info.app}_${info.appVersion}`.length).toBe(env.IV_GUI_VER.trim().length);
          }
        }
      )
    );
  });
});
