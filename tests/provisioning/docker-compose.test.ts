import fs from 'node:fs';
import path from 'node:path';
import { configFromDocument } from '../../backend/src/config';
import { PLUGIN_ID, provisionedDataSources, readJson, readYaml, REPO } from './support/bundle';

const compose = readYaml('docker-compose.yml');
const services = compose.services as Record<string, any>;
const vpnscopeYaml = readYaml('provisioning/vpnscope/vpnscope.yaml');
const prometheusYaml = readYaml('provisioning/prometheus/prometheus.yml');
const dataSources = provisionedDataSources();
const dockerfile = fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

const mountsOf = (service: string): Mount[] =>
  (services[service].volumes as string[]).map((spec) => {
    const [source, target, mode] = spec.split(':');
    return { source, target, readOnly: mode === 'ro' };
  });

const mountAt = (service: string, target: string): Mount => {
  const mount = mountsOf(service).find((m) => m.target === target);
  if (!mount) {
    throw new Error(`${service} mounts nothing at ${target}`);
  }
  return mount;
};

/** The host path a container path of `service` comes from, through its bind mounts. */
function hostPathOf(service: string, containerPath: string): string | null {
  const mount = mountsOf(service)
    .filter((m) => containerPath === m.target || containerPath.startsWith(`${m.target}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  return mount ? path.join(mount.source, path.relative(mount.target, containerPath)) : null;
}

const dataSource = (type: string) => dataSources.find((ds) => ds.type === type)!;

describe('docker-compose.yml', () => {
  it('runs vpnscope, Prometheus and Grafana from pinned images', () => {
    expect(Object.keys(services).sort()).toEqual(['grafana', 'prometheus', 'vpnscope']);
    expect(services.grafana.image).toMatch(/^grafana\/grafana:13\.1\.\d+$/);
    expect(services.prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    for (const [, from] of dockerfile.matchAll(/^FROM (\S+)/gm)) {
      expect(from).toMatch(/^node:\d+\.\d+\.\d+-/);
    }
  });

  it('mounts only paths that exist in the repository, and dist/ where the plugin build writes it', () => {
    const relative = Object.keys(services).flatMap((service) =>
      mountsOf(service)
        .filter((m) => m.source.startsWith('./'))
        .map((m) => m.source)
    );
    expect(relative).toContain('./dist');
    for (const source of relative.filter((s) => s !== './dist')) {
      expect({ source, exists: fs.existsSync(path.join(REPO, source)) }).toEqual({ source, exists: true });
    }
    expect(readJson('package.json').scripts['build:plugin']).toContain('webpack');
    expect(fs.realpathSync(path.join(REPO, 'plugin.json'))).toBe(path.join(REPO, 'src/plugin.json'));
  });

  it('builds vpnscope from this repository and hands it the provisioned config', () => {
    expect(services.vpnscope.build).toBe('.');
    expect(fs.existsSync(path.join(REPO, 'Dockerfile'))).toBe(true);
    const configPath = /VPNSCOPE_CONFIG=(\S+)/.exec(dockerfile)?.[1];
    expect(mountAt('vpnscope', configPath!)).toEqual({
      source: './provisioning/vpnscope/vpnscope.yaml',
      target: configPath,
      readOnly: true,
    });
    expect(() => configFromDocument(vpnscopeYaml, 'vpnscope.yaml', '/etc/vpnscope')).not.toThrow();
  });

  it("mounts the host's OpenVPN files read-only under the paths vpnscope.yaml reads, the database on a volume", () => {
    const config = configFromDocument(vpnscopeYaml, 'vpnscope.yaml', '/etc/vpnscope');
    const hostFiles = mountsOf('vpnscope').filter((m) => m.source.startsWith('/'));
    expect(hostFiles.length).toBeGreaterThan(0);
    hostFiles.forEach((mount) => expect(mount).toMatchObject({ readOnly: true }));
    for (const server of config.servers) {
      for (const file of [server.statusFile, server.openvpnConfig, server.management?.socket].filter(Boolean)) {
        expect({ file, from: hostPathOf('vpnscope', file!)?.startsWith('/') }).toEqual({ file, from: true });
      }
    }
    // the container's root is read-only: the database lives on a named, writable volume
    const data = mountAt('vpnscope', path.dirname(config.database));
    expect(Object.keys(compose.volumes)).toContain(data.source);
    expect(data.readOnly).toBe(false);
    expect(services.vpnscope.read_only).toBe(true);
  });

  it('listens on every interface inside the compose network only, on the port Grafana and Prometheus use', () => {
    const { host, port } = vpnscopeYaml.listen;
    expect(host).toBe('0.0.0.0');
    expect(services.vpnscope.ports).toBeUndefined();
    expect(services.vpnscope.expose).toEqual([String(port)]);
    expect(dockerfile).toContain(`EXPOSE ${port}`);
    expect(dataSource(PLUGIN_ID).jsonData?.backendUrl).toBe(`http://vpnscope:${port}`);
    expect(prometheusYaml.scrape_configs[0].static_configs[0].targets).toEqual([`vpnscope:${port}`]);
  });

  it('gives all three the same API token: vpnscope reads it, Grafana proxies it, Prometheus scrapes with it', () => {
    const tokenVariable = vpnscopeYaml.api.tokenEnv;
    expect(services.vpnscope.environment[tokenVariable]).toMatch(new RegExp(`^\\$\\{${tokenVariable}:\\?`));
    expect(services.grafana.environment[tokenVariable]).toBe(services.vpnscope.environment[tokenVariable]);
    expect(dataSource(PLUGIN_ID).secureJsonData?.apiToken).toBe(`\${${tokenVariable}}`);
    const [secret] = services.prometheus.secrets;
    expect(compose.secrets[secret]).toEqual({ environment: tokenVariable });
    expect(prometheusYaml.scrape_configs[0].authorization).toEqual({
      type: 'Bearer',
      credentials_file: `/run/secrets/${secret}`,
    });
  });

  it('loads the plugin by its id, unsigned for that id only', () => {
    const pluginId = readJson('src/plugin.json').id;
    expect(pluginId).toBe(PLUGIN_ID);
    expect(services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(pluginId);
    expect(mountAt('grafana', `/var/lib/grafana/plugins/${pluginId}`)).toMatchObject({
      source: './dist',
      readOnly: true,
    });
  });

  it('provisions Grafana from provisioning/, with the dashboards where the provider looks', () => {
    expect(mountAt('grafana', '/etc/grafana/provisioning')).toMatchObject({ source: './provisioning', readOnly: true });
    for (const provider of readYaml('provisioning/dashboards/vpnscope.yml').providers) {
      const host = hostPathOf('grafana', provider.options.path);
      expect(fs.readdirSync(path.join(REPO, host!)).filter((f) => f.endsWith('.json')).length).toBe(4);
    }
  });

  it('runs Prometheus on the provisioned config, whose rule files are there, and points Grafana at it', () => {
    const configFlag = (services.prometheus.command as string[]).find((arg) => arg.startsWith('--config.file='));
    const configFile = hostPathOf('prometheus', configFlag!.split('=')[1]);
    expect(configFile).toBe('provisioning/prometheus/prometheus.yml');
    for (const ruleFile of prometheusYaml.rule_files) {
      expect(fs.existsSync(path.join(REPO, path.dirname(configFile!), ruleFile))).toBe(true);
    }
    expect(dataSource('prometheus').url).toBe('http://prometheus:9090');
    expect(services.grafana.depends_on).toEqual(expect.arrayContaining(['prometheus', 'vpnscope']));
  });
});
