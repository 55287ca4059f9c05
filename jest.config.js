// Two projects: the Grafana plugin (jsdom, create-plugin's config) and the backend (node).
// force timezone to UTC so tests do not depend on the machine's zone
process.env.TZ = 'UTC';

const pluginConfig = require('./.config/jest.config');

module.exports = {
  projects: [
    {
      ...pluginConfig,
      displayName: 'plugin',
      // d3-color and friends (pulled in by @grafana/data) ship only .mjs, which the scaffold does not transform
      transform: { ...pluginConfig.transform, '^.+\\.mjs$': pluginConfig.transform['^.+\\.(t|j)sx?$'] },
      testMatch: ['<rootDir>/src/**/*.{spec,test}.{ts,tsx}', '<rootDir>/tests/plugin/**/*.{spec,test}.{ts,tsx}'],
    },
    {
      displayName: 'backend',
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/tests/{unit,integration,e2e,provisioning,metrics}/**/*.test.ts',
        '<rootDir>/backend/**/*.test.ts',
      ],
      transform: pluginConfig.transform,
      watchPathIgnorePatterns: ['<rootDir>/node_modules', '<rootDir>/dist'],
    },
  ],
};
