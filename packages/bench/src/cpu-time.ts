import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux everywhere in practice). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU milliseconds a process has used, from /proc (Linux); undefined elsewhere. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export interface CpuSample {
  /** CPU milliseconds by process label. */
  byProcess: Map<string, number>;
}

/** Samples the CPU time of labelled processes; the difference of two samples is a phase's cost. */
export function sampleCpu(processes: { label: string; pid: number }[]): CpuSample {
  const byProcess = new Map<string, number>();
  for (const { label, pid } of processes) {
    const ms = pid === process.pid ? ownCpuMs() : processCpuMs(pid);
    if (ms !== undefined) byProcess.set(label, (byProcess.get(label) ?? 0) + ms);
  }
  return { byProcess };
}

export function cpuDelta(before: CpuSample, after: CpuSample): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [label, ms] of after.byProcess) delta.set(label, ms - (before.byProcess.get(label) ?? 0));
  return delta;
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
