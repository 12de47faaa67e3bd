import { loadContracts } from '@agentops/contracts';
import { hashTagOf, QUEUES, toolQueueName } from '@agentops/core';
import { BUILTIN_TOOL_NAMES } from '@agentops/tools';
import { QueueKeys } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { unknownFields, validateAgainstSchema } from './k8s-schema.ts';
import { type K8sObject, kustomizeBuild, podContainers } from './kustomize.ts';
import {
  allServiceFacts,
  envDefault,
  readRepoFile,
  readsVariable,
  repoPath,
  type ServiceFacts,
} from './service-facts.ts';

// biome-ignore lint/suspicious/noExplicitAny: manifests are schema-checked below, then read freely
type Any = any;

const builds = {
  base: kustomizeBuild(repoPath('deploy/k8s/base/')),
  demo: kustomizeBuild(repoPath('deploy/k8s/demo/')),
};
// The demo overlay is the base plus Redis and the demo backend: every workload is in it.
const objects = builds.demo;
const find = (kind: string, name: string): K8sObject => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/k8s/demo`);
  return found;
};
const config = find('ConfigMap', 'agentops-config').data ?? {};
const platformServices = allServiceFacts().filter((facts) => facts.name !== 'demo-backend');

describe.each(Object.entries(builds))('kustomize build deploy/k8s/%s', (_name, built) => {
  it('renders objects that are valid under their Kubernetes and KEDA schemas', async () => {
    expect(built.length).toBeGreaterThan(10);
    const problems = await Promise.all(
      built.map(async (object) => {
        const problem = await validateAgainstSchema(object);
        return problem ? `${object.kind}/${object.metadata.name}: ${problem}` : undefined;
      }),
    );
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it('uses no field its schema does not know', () => {
    expect(built.flatMap(unknownFields)).toEqual([]);
  });

  it('puts everything in the agentops namespace, each name once per kind', () => {
    for (const object of built) {
      if (object.kind === 'Namespace') expect(object.metadata.name).toBe('agentops');
      else expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe('agentops');
    }
    const ids = built.map((object) => `${object.kind}/${object.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the schema checks', () => {
  it('refuse a wrong type and a misspelled field', async () => {
    const api = structuredClone(find('Deployment', 'api'));
    api.spec.template.spec.containers[0].readinessProbes =
      api.spec.template.spec.containers[0].readinessProbe;
    expect(unknownFields(api)).toEqual(['Deployment.spec.template.spec.containers[0].readinessProbes']);
    api.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(await validateAgainstSchema(api)).toMatch(/containerPort must be integer/);
  });

  it('refuse a kustomization field they do not render', () => {
    expect(() => kustomizeBuild(repoPath('deploy/checks/fixtures/unsupported-kustomization/'))).toThrow(
      /patches/,
    );
  });
});

describe.each(allServiceFacts())('the $name Deployment', (facts: ServiceFacts) => {
  const deployment = find('Deployment', facts.name);
  const pod = deployment.spec.template.spec;
  const [container] = podContainers(deployment) as Any[];
  const env = new Map<string, Any>(container.env.map((entry: Any) => [entry.name, entry]));
  const containerPort = (name: string) =>
    container.ports.find((port: Any) => port.name === name)?.containerPort as number | undefined;

  it('runs the service’s entry point from the agentops image', () => {
    expect(container.command).toEqual(facts.command);
    expect(container.image).toBe('agentops:latest');
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
  });

  it('sets only variables the service reads', () => {
    const fromConfig = (container.envFrom ?? []).some(
      (source: Any) => source.configMapRef?.name === 'agentops-config',
    )
      ? Object.keys(config)
      : [];
    const unread = [...env.keys(), ...fromConfig].filter((variable) => !readsVariable(facts, variable));
    expect(unread).toEqual([]);
  });

  it('probes liveness on /healthz and readiness on the port the code serves', () => {
    if (facts.httpPort !== undefined) {
      expect(containerPort('http')).toBe(facts.httpPort);
      expect(env.get('PORT')?.value).toBe(String(facts.httpPort));
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      // The demo backend holds no connection, so it has no readiness beyond being alive.
      const readiness = facts.name === 'demo-backend' ? '/healthz' : '/readyz';
      expect(container.readinessProbe.httpGet).toEqual({ path: readiness, port: 'http' });
    } else {
      expect(facts.healthPort).toBe(true);
      expect(env.get('HEALTH_PORT')?.value).toBe(String(containerPort('health')));
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
    }
    expect(config.HOST ?? env.get('HOST')?.value).toBe('0.0.0.0');
  });

  it('asks for CPU and memory and is held to a memory limit', () => {
    expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
  });

  it('runs unprivileged on a read-only root file system', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('is given time to finish or hand back its work on SIGTERM', () => {
    if (facts.name === 'demo-backend') return;
    // handleShutdown exits SHUTDOWN_TIMEOUT_MS + 2 s after SIGTERM at the latest; a preStop sleep
    // comes before the SIGTERM.
    const preStopSeconds = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
    const exitsWithinMs = Number(config.SHUTDOWN_TIMEOUT_MS) + 2_000 + preStopSeconds * 1_000;
    expect(pod.terminationGracePeriodSeconds * 1_000).toBeGreaterThan(exitsWithinMs);
  });
});

describe('availability and scaling', () => {
  it('gives every platform service a PodDisruptionBudget over its pods', () => {
    for (const facts of platformServices) {
      const budget = find('PodDisruptionBudget', facts.name);
      expect(budget.spec.selector.matchLabels).toEqual(
        find('Deployment', facts.name).spec.template.metadata.labels,
      );
      expect(budget.spec.minAvailable ?? budget.spec.maxUnavailable).toBe(1);
    }
  });

  it('routes each Service to a Deployment’s pods and a port they name', () => {
    for (const service of objects.filter((object) => object.kind === 'Service')) {
      const workload = objects.find(
        (object) =>
          ['Deployment', 'StatefulSet'].includes(object.kind) &&
          Object.entries(service.spec.selector).every(
            ([key, value]) => object.spec.template.metadata.labels[key] === value,
          ),
      );
      expect(workload, `Service ${service.metadata.name}`).toBeDefined();
      const ports = podContainers(workload as K8sObject).flatMap((container: Any) => container.ports ?? []);
      for (const port of service.spec.ports) {
        expect(ports.map((p: Any) => p.name)).toContain(port.targetPort);
      }
    }
  });

  it('scales the api on CPU with a HorizontalPodAutoscaler, never below 2', () => {
    const hpa = find('HorizontalPodAutoscaler', 'api');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
  });

  it('leaves the replica count of an autoscaled Deployment to its autoscaler', () => {
    const scaled = objects
      .filter((object) => ['HorizontalPodAutoscaler', 'ScaledObject'].includes(object.kind))
      .map((object) => object.spec.scaleTargetRef.name);
    expect(scaled.sort()).toEqual(['api', 'router', 'tool-worker']);
    for (const name of scaled) expect(find('Deployment', name).spec.replicas).toBeUndefined();
  });

  describe('KEDA', () => {
    const prefix = config.REDIS_PREFIX ?? '';
    const waitList = (queue: string) => new QueueKeys(prefix).toKey(queue, 'wait');
    const triggersOf = (name: string) => {
      const scaledObject = find('ScaledObject', name);
      expect(scaledObject.spec.scaleTargetRef.name).toBe(name);
      // Never to zero: the api is ready only while the turns and usage queues have workers.
      expect(scaledObject.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
      for (const trigger of scaledObject.spec.triggers) {
        expect(trigger.type).toBe('redis');
        expect(trigger.metadata.address).toBe(`redis:${find('Service', 'redis').spec.ports[0].port}`);
        expect(trigger.authenticationRef).toEqual({ name: 'agentops-redis' });
      }
      return scaledObject.spec.triggers.map((trigger: Any) => trigger.metadata);
    };

    it('runs on a hash-tagged prefix, so the same manifests work on a Redis Cluster', () => {
      expect(hashTagOf(prefix)).toBe('agentops');
    });

    it('scales the routers on the turns waiting in the turns queue, one per ROUTER_CONCURRENCY', () => {
      expect(triggersOf('router')).toEqual([
        expect.objectContaining({
          listName: waitList(QUEUES.turns),
          listLength: String(envDefault('router', 'ROUTER_CONCURRENCY')),
        }),
      ]);
    });

    it('scales the tool workers on every tool queue, one per contract concurrency', () => {
      const contracts = loadContracts();
      const expected = BUILTIN_TOOL_NAMES.filter((tool) => contracts.tools.has(tool)).map((tool) =>
        expect.objectContaining({
          listName: waitList(toolQueueName(tool)),
          listLength: String(contracts.tools.get(tool)?.concurrency),
        }),
      );
      expect(expected.length).toBeGreaterThan(0);
      const triggers = triggersOf('tool-worker');
      expect(triggers).toHaveLength(expected.length);
      expect(triggers).toEqual(expect.arrayContaining(expected));
    });

    it('reads the Redis password from the services’ Secret', () => {
      const auth = find('TriggerAuthentication', 'agentops-redis');
      expect(auth.spec.secretTargetRef).toEqual([
        { parameter: 'password', name: 'agentops-secrets', key: 'REDIS_PASSWORD' },
      ]);
    });
  });
});

describe('secrets', () => {
  it('come from one Secret whose keys the README tells how to create', () => {
    const keys = new Set<string>(['REDIS_PASSWORD']);
    for (const object of objects) {
      for (const container of podContainers(object) as Any[]) {
        for (const entry of container.env ?? []) {
          const ref = entry.valueFrom?.secretKeyRef;
          if (!ref) continue;
          expect(ref.name).toBe('agentops-secrets');
          keys.add(ref.key);
        }
      }
    }
    expect([...keys].sort()).toEqual(['API_KEYS', 'REDIS_PASSWORD', 'REDIS_URL']);
    const readme = readRepoFile('README.md');
    const command = /kubectl -n agentops create secret generic agentops-secrets[^`]*/.exec(readme)?.[0] ?? '';
    for (const key of keys) expect(command).toContain(`--from-literal=${key}=`);
  });
});
