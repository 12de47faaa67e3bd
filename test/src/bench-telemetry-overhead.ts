/**
 * What tracing costs a turn: `node test/src/bench-telemetry-overhead.ts [sessions] [turns]`
 * starts the platform twice on the shared Redis (own prefixes), once as it ships and once with
 * OTEL_SDK_DISABLED=true (no spans, so no session traces and no span-fed metrics), drives the same
 * healthy load through each (A orders: one model call, one tool call, one model call per turn)
 * (twice each, A-B-B-A) and prints latency, throughput, spans per turn and the Redis bytes a
 * session's trace takes.
 * A benchmark, not a test: it asserts nothing, the machine's noise is in the figures.
 */
import { runLoad } from '@agentops/load';
import { SessionTraceStore } from '@agentops/telemetry';
import { startPlatform } from './platform.ts';

const sessions = Number(process.argv[2] ?? 40);
const turnsPerSession = Number(process.argv[3] ?? 3);

async function measure(label: string, env: Record<string, string>) {
  const platform = await startPlatform({ env });
  try {
    // One warm-up session, so that both runs start with loaded Lua scripts and JIT-warm code.
    await runLoad({
      apiUrl: platform.apiUrl,
      apiKey: platform.keys.client?.key ?? '',
      sessions: 2,
      turnsPerSession: 1,
      concurrency: 2,
      faults: { A: 100, T: 0, E: 0, R: 0, N: 0, I: 0 },
    });
    const report = await runLoad({
      apiUrl: platform.apiUrl,
      apiKey: platform.keys.client?.key ?? '',
      sessions,
      turnsPerSession,
      concurrency: 10,
      faults: { A: 100, T: 0, E: 0, R: 0, N: 0, I: 0 },
    });
    const traceKeys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await platform.redis.scan(
        cursor,
        'MATCH',
        `${platform.prefix}:session:*:trace`,
        'COUNT',
        1000,
      );
      cursor = next;
      traceKeys.push(...found);
    } while (cursor !== '0');
    let spans = 0;
    let bytes = 0;
    const store = new SessionTraceStore(platform.redis, platform.prefix);
    for (const key of traceKeys) {
      spans += (await store.spans(key.split(':session:')[1]?.replace(/:trace$/, '') ?? '')).length;
      bytes += Number(await platform.redis.memory('USAGE', key)) || 0;
    }
    const turns = (sessions + 2) * turnsPerSession;
    return {
      label,
      turns: report.turns,
      completed: report.completed,
      'p50 ms': Math.round(report.latencyMs.p50),
      'p99 ms': Math.round(report.latencyMs.p99),
      'turns/s': Math.round(report.turnsPerSecond * 10) / 10,
      'spans/turn': traceKeys.length ? Math.round((spans / turns) * 10) / 10 : 0,
      'trace bytes/session': traceKeys.length ? Math.round(bytes / traceKeys.length) : 0,
    };
  } finally {
    await platform.stop();
  }
}

// Each setting twice, in A-B-B-A order, so that warm-up and the machine's drift do not favour one.
const on = () => measure('telemetry on', {});
const off = () => measure('OTEL_SDK_DISABLED', { OTEL_SDK_DISABLED: 'true' });
const rows = [await on(), await off(), await off(), await on()];
console.table(rows);
