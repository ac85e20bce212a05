/**
 * The Kubernetes manifests in deploy/kubernetes: valid against the Kubernetes API's schemas (scripts/validate-manifests.mjs,
 * the same step `.ci/run` takes), and wired the way the service needs (probes on its routes, a grace period longer
 * than its pre-stop delay, secrets only from the Secret, selectors that select the pods).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, VARIABLES } from '../../src/config/index.js';
import { documents, ROOT, read, runNode, type Yaml } from './support.js';

const DIR = 'deploy/kubernetes';
const all: Yaml[] = readdirSync(join(ROOT, DIR))
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .flatMap((f) => documents(`${DIR}/${f}`));
const find = (kind: string, name: string): Yaml => {
  const found = all.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${DIR}`);
  return found;
};
const deployment = find('Deployment', 'profit-subgraph');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const configMap = find('ConfigMap', 'profit-subgraph');
const secret = find('Secret', 'profit-subgraph');

describe('the manifest validator (.ci/run)', () => {
  const broken = mkdtempSync(join(tmpdir(), 'manifests-'));
  afterAll(() => rmSync(broken, { recursive: true, force: true }));

  it('finds no problem in deploy/kubernetes', async () => {
    const run = await runNode(['scripts/validate-manifests.mjs', DIR]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^manifests: \d+ files, 0 problems$/m);
    expect(run.code).toBe(0);
  });

  it('fails on a broken manifest, naming the file, the object and the field', async () => {
    const text = read(`${DIR}/deployment.yaml`)
      .replace('containerPort: 4000', 'containerPort: "4000"')
      .replace('httpGet: { path: /ready, port: http }', 'httpGet: { path: /ready }');
    writeFileSync(join(broken, 'deployment.yaml'), text);
    writeFileSync(
      join(broken, 'pdb.yaml'),
      'apiVersion: policy/v1\nkind: PodDisruptionBudgett\nmetadata: { name: x }\n',
    );
    // Valid against the schemas, which allow unknown fields: the typed pass finds the misspelt one.
    writeFileSync(join(broken, 'service.yaml'), read(`${DIR}/service.yaml`).replace('targetPort:', 'targetPrt:'));
    const run = await runNode(['scripts/validate-manifests.mjs', broken]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/manifests: 3 files, 4 problems/);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /deployment\.yaml Deployment\/profit-subgraph: .*containers\/0\/ports\/0\/containerPort must be integer$/,
      ),
      expect.stringMatching(
        /deployment\.yaml Deployment\/profit-subgraph: .*readinessProbe\/httpGet must have required property port$/,
      ),
      expect.stringMatching(
        /pdb\.yaml PodDisruptionBudgett\/x: unknown apiVersion\/kind policy\/v1 PodDisruptionBudgett$/,
      ),
      expect.stringMatching(
        /service\.yaml Service\/profit-subgraph: .*'"targetPrt"' does not exist in type 'IServicePort'\.$/,
      ),
    ]);
  });
});

describe('the Deployment', () => {
  it('asks /ready for readiness and /health for liveness, on the port the image serves', () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: 4000, protocol: 'TCP' }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(read('Dockerfile')).toMatch(/^ENV .*PORT=4000$/m);
  });

  it('gives a stopping pod longer than SHUTDOWN_DELAY_MS plus the 10 s running requests get', () => {
    const delaySeconds = Number(configMap.data.SHUTDOWN_DELAY_MS) / 1000;
    expect(delaySeconds).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(delaySeconds + 10);
    // The readiness probe sees the shutdown's 503 well within the delay, so the endpoint goes before the listener.
    const { periodSeconds, failureThreshold } = container.readinessProbe;
    expect(periodSeconds * failureThreshold).toBeLessThan(delaySeconds);
  });

  it('requests and limits CPU and memory, and runs as the image user without privileges', () => {
    for (const kind of ['requests', 'limits']) {
      expect(Object.keys(container.resources[kind]).sort(), kind).toEqual(['cpu', 'memory']);
    }
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('sets only declared variables, and takes every secret one from the Secret, never from the ConfigMap', () => {
    const fromConfigMap = Object.keys(configMap.data);
    const fromEnv = (container.env as Yaml[]).map((e) => e.name as string);
    expect([...fromConfigMap, ...fromEnv, ...Object.keys(secret.stringData)].filter((n) => !(n in VARIABLES))).toEqual(
      [],
    );
    const secretNames = Object.entries(VARIABLES)
      .filter(([, v]) => 'secret' in v && v.secret)
      .map(([n]) => n);
    expect(fromConfigMap.filter((n) => secretNames.includes(n))).toEqual([]);
    for (const e of container.env as Yaml[]) {
      expect(e.value, e.name).toBeUndefined();
      expect(e.valueFrom.secretKeyRef, e.name).toMatchObject({ name: 'profit-subgraph', key: e.name });
    }
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'profit-subgraph' } }]);
  });

  it('configures a service that starts: the ConfigMap and the Secret pass the configuration check in production', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      ...configMap.data,
      ...secret.stringData,
      FILE_TICKET_SECRET: 'ab'.repeat(32),
    });
    expect(config.port).toBe(4000);
    expect(config.shutdownDelayMs).toBe(Number(configMap.data.SHUTDOWN_DELAY_MS));
  });

  it('does not start without the file-ticket key, which every replica must share', () => {
    const ref = (container.env as Yaml[]).find((e) => e.name === 'FILE_TICKET_SECRET').valueFrom.secretKeyRef;
    expect(ref.optional).toBeUndefined();
    // The example Secret carries no value for any secret.
    for (const [name, value] of Object.entries(secret.stringData as Record<string, string>)) {
      if (name !== 'REDIS_URL') expect(value, name).toBe('');
    }
  });

  it('leaves the replica count to the HorizontalPodAutoscaler', () => {
    expect(deployment.spec.replicas).toBeUndefined();
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
  });
});

describe('the objects around it', () => {
  const podLabels = deployment.spec.template.metadata.labels;

  it('select the subgraph pods: Service, PodDisruptionBudget and HorizontalPodAutoscaler', () => {
    expect(deployment.spec.selector.matchLabels).toEqual(podLabels);
    expect(find('Service', 'profit-subgraph').spec.selector).toEqual(podLabels);
    expect(find('Service', 'profit-subgraph').spec.ports[0].targetPort).toBe('http');
    expect(find('PodDisruptionBudget', 'profit-subgraph').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: podLabels },
    });
    const hpa = find('HorizontalPodAutoscaler', 'profit-subgraph').spec;
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'profit-subgraph' });
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
  });

  it('run Redis where REDIS_URL points, reachable from the subgraph pods only', () => {
    const url = new URL(secret.stringData.REDIS_URL);
    const service = find('Service', url.hostname);
    expect(service.spec.ports[0].port).toBe(Number(url.port));
    const redis = find('Deployment', url.hostname);
    expect(redis.spec.template.metadata.labels).toEqual(service.spec.selector);
    expect(redis.spec.template.spec.containers[0].readinessProbe.exec.command).toEqual(['redis-cli', 'ping']);
    const policy = find('NetworkPolicy', url.hostname).spec;
    expect(policy.podSelector.matchLabels).toEqual(service.spec.selector);
    expect(policy.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: podLabels } }], ports: [{ port: 6379, protocol: 'TCP' }] },
    ]);
  });

  it('are all applied by kustomization.yaml, except the example Secret', () => {
    const files = readdirSync(join(ROOT, DIR)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    const [kustomization] = documents(`${DIR}/kustomization.yaml`);
    expect([...kustomization.resources].sort()).toEqual(files.filter((f) => f !== 'secret.example.yaml').sort());
  });
});
