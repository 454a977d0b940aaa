import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
  /** 1-minute load average before and after the run: other work on the machine skews figures. */
  loadAverage: { start: number; end: number };
}

/** Where the figures were taken: they only compare within one machine and one run. */
export function describeMachine(now: Date, loadAtStart: number[]): MachineInfo {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: now.toISOString(),
    loadAverage: { start: loadAtStart[0] ?? 0, end: loadavg()[0] ?? 0 },
  };
}
