/**
 * The operators' files under deploy/ (no container runtime or cluster runs here): every
 * Kubernetes manifest validated against the Kubernetes API's own schema (kubernetes-models), and
 * checked against the engine it runs: the probes' paths, the config the engine would read, the
 * secret's mount, the Dockerfile's user and health check.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { describe, expect, it } from 'vitest';
import { ConfigFileSchema } from '../../engine/serviceConfig';

const DIR = join(import.meta.dirname, '../../deploy');
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  ConfigMap,
  Secret,
  Service,
  Deployment,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
};
const manifests = readdirSync(join(DIR, 'kubernetes'))
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => ({ name, doc: load(readFileSync(join(DIR, 'kubernetes', name), 'utf8')) as { kind: string; [key: string]: unknown } }));
const byKind = (kind: string) => manifests.find((m) => m.doc.kind === kind)!.doc as never as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('deploy/', () => {
  it('holds a Deployment, Service, HPA, PDB, ConfigMap and Secret, each valid against the Kubernetes schema', () => {
    expect(manifests.map((m) => m.doc.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Secret', 'Service']);
    for (const { name, doc } of manifests) {
      const Model = MODELS[doc.kind]!;
      expect(() => new Model(doc as never).validate(), name).not.toThrow();
    }
  });

  it('runs the engine as the engine expects: probes on its health paths, its config valid, the key where the config says', () => {
    const deployment = byKind('Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.requests).toBeDefined();
    const config = ConfigFileSchema.parse(JSON.parse(byKind('ConfigMap').data['engine.json']));
    const secretMount = container.volumeMounts.find((m: { name: string }) => m.name === 'secret').mountPath;
    expect(config.signingKeyFile).toBe(`${secretMount}/signing.key`);
    expect(config.usersFile).toBe(`${secretMount}/users.json`);
    expect(Object.keys(byKind('Secret').stringData).sort()).toEqual(['signing.key', 'users.json']);
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(byKind('PodDisruptionBudget').spec.selector).toEqual(deployment.spec.selector);
  });

  it('builds an image that runs as a user without privileges and checks /healthz', () => {
    const dockerfile = readFileSync(join(DIR, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "--import", "tsx", "engine\/cli.ts"\]$/m);
  });
});
