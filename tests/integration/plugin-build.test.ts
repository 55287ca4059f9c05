import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const dist = path.join(repo, 'dist');

jest.setTimeout(180_000);

describe('the Grafana plugin build', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '--silent', 'build:plugin'], { cwd: repo, stdio: 'pipe' });
  });

  it('keeps the top-level plugin.json as a link to src/plugin.json', () => {
    expect(fs.lstatSync(path.join(repo, 'plugin.json')).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(path.join(repo, 'plugin.json'))).toBe(path.join(repo, 'src/plugin.json'));
  });

  it('writes a dist/ folder Grafana loads as is', () => {
    for (const file of ['module.js', 'plugin.json', 'img/logo.svg', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
      expect(fs.existsSync(path.join(dist, file))).toBe(true);
    }
  });

  it('fills in a valid manifest: id pattern, type, routes, version and Grafana dependency', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'plugin.json'), 'utf8'));
    const packageJson = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    expect(manifest.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?datasource$/);
    expect(manifest.type).toBe('datasource');
    expect(manifest.info.version).toBe(packageJson.version);
    expect(manifest.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(manifest.routes[0]).toMatchObject({ path: 'api', url: '{{ .JsonData.backendUrl }}' });
    expect(manifest.dependencies.grafanaDependency).toMatch(/^>=\d+\.\d+\.\d+$/);
    for (const logo of Object.values<string>(manifest.info.logos)) {
      expect(fs.existsSync(path.join(dist, logo))).toBe(true);
    }
  });

  it('bundles the data source without inlining Grafana or React', () => {
    const bundle = fs.readFileSync(path.join(dist, 'module.js'), 'utf8');
    expect(bundle).toMatch(/define\(\[/);
    expect(bundle).toContain('@grafana/data');
    expect(bundle.length).toBeLessThan(500_000);
  });
});
