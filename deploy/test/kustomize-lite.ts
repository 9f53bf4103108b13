import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

type Json = unknown;
type Image = { name: string; newName?: string; newTag?: string };

// Exactly the kustomize features deploy/k8s uses. Anything else makes the render fail, so a
// manifest change that needs more cannot pass the test unnoticed.
const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'patches', 'images', 'namespace']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
]);

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const readDocs = (file: string) =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as K8sObject)
    .filter(Boolean);
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const sameObject = (a: K8sObject, b: K8sObject) =>
  groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.metadata.name === b.metadata.name;

/**
 * Strategic merge as kustomize applies it to what deploy/k8s patches: maps merge key by key (`null`
 * deletes), lists of named items (containers, env, volumes) merge by `name`, other lists are replaced.
 */
export function strategicMerge(target: Json, patch: Json): Json {
  if (isObject(target) && isObject(patch)) {
    const merged: Record<string, Json> = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = strategicMerge(target[key], value);
    }
    return merged;
  }
  const named = (list: Json) =>
    Array.isArray(list) && list.every((item) => isObject(item) && typeof item.name === 'string');
  if (named(target) && named(patch)) {
    const merged = [...(target as Record<string, Json>[])];
    for (const item of patch as Record<string, Json>[]) {
      const at = merged.findIndex((existing) => existing.name === item.name);
      if (at === -1) merged.push(item);
      else merged[at] = strategicMerge(merged[at], item) as Record<string, Json>;
    }
    return merged;
  }
  return patch;
}

/** Rewrites every container image (containers and initContainers, at any depth) an `images` entry names. */
function setImages(node: Json, images: Image[]): Json {
  if (Array.isArray(node)) return node.map((item) => setImages(item, images));
  if (!isObject(node)) return node;
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) result[key] = setImages(value, images);
  if (typeof result.image === 'string') {
    const [, name, tag] = /^(.*?)(?::([^:/]+))?$/.exec(result.image)!;
    const rule = images.find((i) => i.name === name);
    if (rule) result.image = `${rule.newName ?? name}:${rule.newTag ?? tag}`;
  }
  return result;
}

/** Renders a kustomization directory (resources, patches by path, images, namespace) into its objects. */
export function renderKustomization(dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  const k = parse(readFileSync(file, 'utf8')) as Record<string, Json>;
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length)
    throw new Error(`${file}: kustomize features this renderer does not implement: ${unsupported.join(', ')}`);

  let objects = ((k.resources as string[] | undefined) ?? []).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? renderKustomization(path) : readDocs(path);
  });
  for (const patch of (k.patches as Record<string, string>[] | undefined) ?? []) {
    if (Object.keys(patch).join() !== 'path') throw new Error(`${file}: only patches with a path are supported`);
    for (const doc of readDocs(join(dir, patch.path!))) {
      const at = objects.findIndex((o) => sameObject(o, doc));
      if (at === -1)
        throw new Error(`${file}: patch ${patch.path} targets ${doc.kind}/${doc.metadata.name}, which is not rendered`);
      objects[at] = strategicMerge(objects[at], doc) as K8sObject;
    }
  }
  if (k.images) objects = objects.map((o) => setImages(o, k.images as Image[]) as K8sObject);
  if (typeof k.namespace === 'string') {
    const namespace = k.namespace;
    objects = objects.map((o) => (CLUSTER_SCOPED.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace } }));
  }
  return objects;
}
