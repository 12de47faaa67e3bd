import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked by schema, then read freely
  spec?: any;
  data?: Record<string, string>;
}

/** The kustomization fields this renderer applies; any other field fails the build. */
const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images']);
const CLUSTER_SCOPED_KINDS = new Set(['Namespace']);

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
}

/**
 * `kustomize build` for the fields our manifests use (resources, namespace, images), so the
 * checks run offline without kubectl. It refuses a kustomization that uses anything else, so a
 * new field cannot slip past the checks unrendered.
 */
export function kustomizeBuild(dir: URL): K8sObject[] {
  const base = dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);
  const kustomization = readYaml(new URL('kustomization.yaml', base))[0] as Record<string, unknown>;
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length > 0) {
    throw new Error(
      `${base.pathname}kustomization.yaml uses ${unsupported.join(', ')}, which the checks do not render`,
    );
  }
  const objects = ((kustomization.resources as string[] | undefined) ?? []).flatMap((resource) => {
    const url = new URL(resource, base);
    if (!existsSync(url)) throw new Error(`${base.pathname}: resource ${resource} does not exist`);
    return statSync(url).isDirectory() ? kustomizeBuild(url) : (readYaml(url) as K8sObject[]);
  });
  const namespace = kustomization.namespace as string | undefined;
  for (const object of objects) {
    if (namespace && !CLUSTER_SCOPED_KINDS.has(object.kind)) object.metadata.namespace = namespace;
    for (const override of (kustomization.images as ImageOverride[] | undefined) ?? []) {
      for (const container of podContainers(object))
        container.image = overrideImage(container.image, override);
    }
  }
  return objects;
}

function readYaml(url: URL): unknown[] {
  return parseAllDocuments(readFileSync(url, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${url.pathname}: ${document.errors[0]?.message}`);
      return document.toJS();
    })
    .filter((value) => value !== null);
}

/** The containers of a workload's pod template. */
export function podContainers(object: K8sObject): { name: string; image: string }[] {
  const pod = object.spec?.template?.spec;
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
}

function overrideImage(image: string, override: ImageOverride): string {
  const match = /^([^:@]+(?::\d+\/[^:@]+)?)(?::([^@]+))?(@.+)?$/.exec(image);
  if (!match || match[1] !== override.name) return image;
  const name = override.newName ?? match[1];
  const tag = override.newTag ?? match[2];
  return tag ? `${name}:${tag}` : name;
}
