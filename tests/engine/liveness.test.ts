/**
 * The engine's liveness check on real faces (@vladmandic/face-api's sample photos): a visitor in
 * front of the camera passes; the same face replayed on a phone does not; the operator can move
 * the operating point. Accuracy on real attacks is measured by `npm run eval` (docs/accuracy.md, "Liveness").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVENESS_PASS } from '../../engine/analysis/scores';
import { livenessCapture, phoneReplay } from '../../harness/faces';
import { hostEngine, post, type EngineHost } from '../support/engineHost';
import { runCli } from '../support/runCli';

let engine: EngineHost;
let token: string;

beforeAll(async () => {
  engine = await hostEngine();
  token = await engine.token();
}, 60_000);
afterAll(() => engine.close());

const liveness = async (target: EngineHost, bytes: Uint8Array, bearer = token) => {
  const { status, body } = await post(`${target.url}/api/liveness`, bearer, { data: { bytes, type: 'image/png' } });
  expect(status).toBe(200);
  return { score: Number(body.result), pass: body.pass as boolean };
};

describe('liveness on real faces', () => {
  it.each(['A', 'C'] as const)('passes visitor %s in front of the camera', async (name) => {
    const { score, pass } = await liveness(engine, await livenessCapture(name, 95));
    expect(score).toBeGreaterThanOrEqual(LIVENESS_PASS);
    expect(pass).toBe(true);
  });

  it.each(['A', 'C'] as const)('refuses visitor %s replayed on a phone held up to the camera', async (name) => {
    const { score, pass } = await liveness(engine, await phoneReplay(name));
    expect(score).toBeLessThan(LIVENESS_PASS);
    expect(pass).toBe(false);
  });

  it('uses the operating point it was started with', async () => {
    const lenient = await hostEngine({ workers: 1, livenessPass: 0 });
    try {
      const { score, pass } = await liveness(lenient, await phoneReplay('C'), await lenient.token());
      expect(score).toBeLessThan(LIVENESS_PASS);
      expect(pass).toBe(true);
    } finally {
      await lenient.close();
    }
  });

  it('refuses an operating point outside 0..1 on the command line, saying so', async () => {
    const run = await runCli(['--user', 'a', '--liveness-pass', '1.5'], { script: 'engine/cli.ts', env: { BIOINTELLIC_ENGINE_PASSWORD: 'b' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--liveness-pass: The liveness operating point must be a number from 0 to 1 (got "1.5")');
  });

  it('refuses a password on the command line, where every user of the machine can read it', async () => {
    const run = await runCli(['--user', 'a', '--password', 'b'], { script: 'engine/cli.ts' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--password is refused: a command line is visible to every user of the machine');
  });
});
