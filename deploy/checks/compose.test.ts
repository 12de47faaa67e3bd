import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { DCLinter } from 'dclint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  allServiceFacts,
  readRepoFile,
  readsVariable,
  repoPath,
  type ServiceFacts,
} from './service-facts.ts';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number; resources?: { limits?: { memory?: string } } };
  volumes?: string[];
  secrets?: string[];
  read_only?: boolean;
  cap_drop?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { environment?: string; file?: string }>;
}

const COMPOSE_PATH = fileURLToPath(repoPath('docker-compose.yml'));
// Compose resolves YAML merge keys (`<<: *service`) before it reads a service.
const compose = parse(readFileSync(COMPOSE_PATH, 'utf8'), { merge: true }) as ComposeFile;
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** The Compose Specification's JSON schema as the dclint package ships it (draft-07). */
function composeSchema(): object {
  const manifest = createRequire(import.meta.url).resolve('dclint/package.json');
  const { $schema, ...schema } = JSON.parse(
    readFileSync(new URL('schemas/compose.schema.json', `file://${manifest}`), 'utf8'),
  );
  // It names draft-07 by an https URL that Ajv does not know; Ajv's default draft is draft-07.
  expect($schema).toMatch(/draft-07/);
  return schema;
}

/** The URL a healthcheck of ours probes: `node deploy/healthcheck.ts <url>`. */
function healthcheckUrl(entry: ComposeService): URL {
  const test = entry.healthcheck?.test ?? [];
  expect(test.slice(0, 3)).toEqual(['CMD', 'node', 'deploy/healthcheck.ts']);
  return new URL(test[3] ?? '');
}

describe('docker-compose.yml', () => {
  it('is valid under the Compose Specification schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(composeSchema());
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is checked by a schema that refuses a misspelled key or a wrong type', () => {
    const validate = new Ajv({ strict: false }).compile(composeSchema());
    const api = service('api');
    expect(validate({ services: { api: { ...api, helthcheck: api.healthcheck } } })).toBe(false);
    expect(validate({ services: { api: { ...api, command: 42 } } })).toBe(false);
  });

  it('passes the dclint compose linter without errors', () => {
    const linter = new DCLinter({ rules: {}, quiet: true, debug: false, exclude: [] });
    const [result] = linter.lintFiles([COMPOSE_PATH], false);
    const errors = (result?.messages ?? []).filter((message: { type: string }) => message.type === 'error');
    expect(errors).toEqual([]);
  });

  describe.each(allServiceFacts())('service $name', (facts: ServiceFacts) => {
    const entry = service(facts.name);
    const environment = entry.environment ?? {};

    it('runs the service’s entry point from the one image the Dockerfile builds', () => {
      expect(entry.command).toEqual(facts.command);
      expect(existsSync(repoPath(facts.command[1] ?? ''))).toBe(true);
      expect(entry.build).toBe('.');
      expect(entry.image).toBe('agentops:local');
    });

    it('sets only variables the service reads', () => {
      const unread = Object.keys(environment).filter((variable) => !readsVariable(facts, variable));
      expect(unread).toEqual([]);
    });

    it('probes the port the code listens on, with a healthcheck of its own', () => {
      const url = healthcheckUrl(entry);
      if (facts.httpPort !== undefined) {
        expect(environment.PORT).toBe(String(facts.httpPort));
        expect(environment.HOST).toBe('0.0.0.0');
        expect(url.port).toBe(String(facts.httpPort));
      } else {
        expect(facts.healthPort).toBe(true);
        expect(url.port).toBe(environment.HEALTH_PORT);
        expect(url.pathname).toBe('/readyz');
      }
    });

    it('runs unprivileged and bounded: read-only, no capabilities, a memory limit', () => {
      expect(entry.read_only).toBe(true);
      expect(entry.cap_drop).toEqual(['ALL']);
      expect(entry.deploy?.resources?.limits?.memory).toMatch(/^\d+[MG]$/);
    });
  });

  it('publishes the api on the port it listens on, and probes its readiness', () => {
    const api = service('api');
    expect(api.ports).toEqual([`127.0.0.1:8080:${api.environment?.PORT}`]);
    expect(healthcheckUrl(api).pathname).toBe('/readyz');
  });

  it('keeps Redis on an append-only file fsynced every second, on a volume', () => {
    const redis = service('redis');
    expect(redis.command?.join(' ')).toContain('--appendonly yes --appendfsync everysec');
    expect(redis.volumes).toContain('redis-data:/data');
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    for (const facts of allServiceFacts()) {
      if (facts.name === 'demo-backend') continue;
      expect(service(facts.name).depends_on?.redis?.condition).toBe('service_healthy');
      expect(service(facts.name).environment?.REDIS_URL).toBe('redis://redis:6379');
    }
  });

  it('runs two routers, and the demo backend only in the demo profile', () => {
    expect(service('router').deploy?.replicas).toBe(2);
    expect(service('demo-backend').profiles).toEqual(['demo']);
    // Without the profile the tool worker still starts, and calls DEMO_BACKEND_URL.
    expect(service('tool-worker').depends_on?.['demo-backend']).toMatchObject({ required: false });
    expect(service('tool-worker').environment?.DEMO_BACKEND_URL).toBe(
      `\${DEMO_BACKEND_URL:-http://demo-backend:${service('demo-backend').environment?.PORT}}`,
    );
  });

  it('mounts only files that exist', () => {
    for (const [name, entry] of Object.entries(compose.services)) {
      for (const volume of entry.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('./'))
          expect(existsSync(repoPath(source.slice(2))), `${name}: ${source}`).toBe(true);
      }
    }
  });
});

describe('the observability stack of docker-compose.yml', () => {
  it('sends the services’ traces to the collector, and the collector to Jaeger', () => {
    const endpoint = service('api').environment?.OTEL_EXPORTER_OTLP_ENDPOINT ?? '';
    expect(endpoint).toBe(`\${OTEL_EXPORTER_OTLP_ENDPOINT:-http://otel-collector:4318}`);
    const collector = parse(readRepoFile('deploy/compose/otel-collector.yaml'));
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(collector.exporters['otlp/jaeger'].endpoint).toBe('jaeger:4317');
    expect(collector.service.pipelines.traces.exporters).toEqual(['otlp/jaeger']);
    expect(service('jaeger').command).toContain('--set=receivers.otlp.protocols.grpc.endpoint=0.0.0.0:4317');
  });

  it('has Prometheus scrape the api’s /metrics with the ops key from a secret', () => {
    const prometheus = parse(readRepoFile('deploy/compose/prometheus.yml'));
    const [job] = prometheus.scrape_configs;
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs[0].targets).toEqual([`api:${service('api').environment?.PORT}`]);
    expect(job.authorization.credentials_file).toBe('/run/secrets/ops_api_key');
    expect(service('prometheus').secrets).toEqual(['ops_api_key']);
    expect(compose.secrets?.ops_api_key).toEqual({ environment: 'OPS_API_KEY' });
  });

  it('provisions Grafana with the dashboard and a data source for every one it uses', () => {
    const grafana = service('grafana');
    const dashboardMount = grafana.volumes?.find((volume) =>
      volume.startsWith('./deploy/grafana-dashboard.json:'),
    );
    expect(dashboardMount).toBeDefined();
    const provider = parse(readRepoFile('deploy/compose/grafana/provisioning/dashboards/dashboards.yaml'));
    expect(dashboardMount?.split(':')[1]?.startsWith(`${provider.providers[0].options.path}/`)).toBe(true);

    const sources = parse(readRepoFile('deploy/compose/grafana/provisioning/datasources/datasources.yaml'));
    const uids = new Set<string>(sources.datasources.map((source: { uid: string }) => source.uid));
    const dashboard = JSON.parse(readRepoFile('deploy/grafana-dashboard.json'));
    // A `${NAME}` uid is a dashboard variable, which Grafana fills with a data source of its type.
    const variables = new Set<string>(
      (dashboard.templating?.list ?? [])
        .filter((variable: { type: string }) => variable.type === 'datasource')
        .map((variable: { name: string }) => variable.name),
    );
    const referenced = dataSourceUids(dashboard);
    expect(referenced.length).toBeGreaterThan(0);
    for (const uid of referenced) {
      const variable = /^\$\{(\w+)\}$/.exec(uid)?.[1];
      expect(variable ? variables.has(variable) : uids.has(uid), `data source ${uid}`).toBe(true);
    }
  });
});

/** The uid of every `datasource` a dashboard's panels and queries name. */
function dataSourceUids(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(dataSourceUids);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === 'datasource' && typeof value === 'object' && value !== null && 'uid' in value)
      return [String(value.uid)];
    return dataSourceUids(value);
  });
}
