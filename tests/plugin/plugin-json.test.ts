import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const srcDir = path.resolve(__dirname, '../../src');
const manifest = JSON.parse(fs.readFileSync(path.join(srcDir, 'plugin.json'), 'utf8'));

describe('src/plugin.json', () => {
  it('declares a data source whose id follows Grafana’s <org>-<name>-datasource pattern', () => {
    expect(manifest.type).toBe('datasource');
    expect(manifest.id).toBe('vpnscope-vpnscope-datasource');
    expect(manifest.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?datasource$/);
    expect(manifest.name).toBe('vpnscope');
  });

  it('offers metrics and annotations', () => {
    expect(manifest.metrics).toBe(true);
    expect(manifest.annotations).toBe(true);
  });

  it('routes `api` to the configured backend URL and adds the bearer token on Grafana’s side', () => {
    expect(manifest.routes).toEqual([
      {
        path: 'api',
        url: '{{ .JsonData.backendUrl }}',
        headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
      },
    ]);
  });

  it('needs a Grafana version range that semver understands', () => {
    const range = manifest.dependencies.grafanaDependency;
    expect(semver.validRange(range)).not.toBeNull();
    expect(semver.satisfies('13.1.1', range)).toBe(true);
  });

  it('points at logos that exist and leaves version and date to the build', () => {
    for (const logo of Object.values<string>(manifest.info.logos)) {
      expect(fs.existsSync(path.join(srcDir, logo))).toBe(true);
    }
    expect(manifest.info.version).toBe('%VERSION%');
    expect(manifest.info.updated).toBe('%TODAY%');
    expect(manifest.info.author.name).toBe('vpnscope');
  });
});
