import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AnalysisTimings } from '../analysis/analyze';
import type { AnalysisPool } from '../analysis/pool';

/**
 * What an operator scrapes at /metrics (Prometheus text format, prom-client): requests by route
 * and status, latency per route and per model, the analysis queue, and refusals by the API's
 * error code. A registry per engine, so two engines in one process (tests) count apart. No label
 * ever carries a user, a token or anything from an image.
 */
export function createEngineMetrics(pool: Pick<AnalysisPool, 'stats'>) {
  const registry = new Registry();
  const requests = new Counter({
    name: 'biointellic_engine_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'biointellic_engine_request_duration_seconds',
    help: 'Time from request to answer, by route',
    labelNames: ['route'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const model = new Histogram({
    name: 'biointellic_engine_analysis_stage_seconds',
    help: "Time an analysis worker spent per stage (decode, detect, describe, antispoof), by the request's kind",
    labelNames: ['kind', 'stage'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'biointellic_engine_refusals_total',
    help: "Requests refused, by the API's error code",
    labelNames: ['code'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'biointellic_engine_analysis_queue',
    help: 'Analyses waiting for a worker',
    registers: [registry],
    collect() {
      this.set(pool.stats().queued);
    },
  });
  new Gauge({
    name: 'biointellic_engine_workers_busy',
    help: 'Analysis workers busy now',
    registers: [registry],
    collect() {
      this.set(pool.stats().busy);
    },
  });
  return {
    contentType: registry.contentType,
    text: () => registry.metrics(),
    answered(route: string, status: number, seconds: number) {
      requests.inc({ route, status: String(status) });
      latency.observe({ route }, seconds);
    },
    analysed(kind: 'liveness' | 'match', timings: AnalysisTimings) {
      for (const [stage, ms] of Object.entries(timings)) if (ms > 0) model.observe({ kind, stage }, ms / 1000);
    },
    refused: (code: string) => refusals.inc({ code }),
  };
}
export type EngineMetrics = ReturnType<typeof createEngineMetrics>;
