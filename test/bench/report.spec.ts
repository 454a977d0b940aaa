import type { Measurement } from '../../bench/measure.js';
import { buildReport, stepsLine, type ScenarioOutcome } from '../../bench/report.js';
import type { ScenarioDefinition } from '../../bench/scenario.js';

// How the bench turns rounds into the ratios its goals read.

const machine = {
  cpuModel: 'test',
  cores: 2,
  memoryGiB: 1,
  node: process.version,
  platform: 'test',
  date: new Date(0).toISOString(),
  loadAverage: { start: 0, end: 0 },
};
const settings = {
  connections: 50,
  durationSeconds: 10,
  warmupSeconds: 2,
  rounds: 1,
  bodyBytes: 1,
};

function round(requestsPerSecond: number, p99Ms: number): Measurement {
  return {
    requestsPerSecond,
    p50Ms: 1,
    p99Ms,
    totalRequests: requestsPerSecond * 10,
    non2xx: 0,
    unexpectedStatus: 0,
    errors: 0,
    timeouts: 0,
    maxRssBytes: 1,
    cpuMicrosPerRequest: 1,
  };
}

function outcome(id: string, rounds: Measurement[], anchor = 'anchor'): ScenarioOutcome {
  const scenario: ScenarioDefinition = { id, label: id, adapter: 'koa', anchor, server: 'x.js' };
  const middle = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return { scenario, rounds, measurement: middle[Math.floor((middle.length - 1) / 2)] };
}

describe('bench report ratios', () => {
  // The anchor's second round ran in a quiet moment; the host's round beside it did too.
  const anchor = outcome('anchor', [
    round(4000, 30),
    round(5600, 20),
    round(4200, 28),
    round(3800, 32),
    round(4100, 29),
  ]);
  const host = outcome('host', [
    round(3800, 30),
    round(5300, 21),
    round(3900, 30),
    round(3600, 33),
    round(3700, 30),
  ]);

  it('divides round by round and keeps the median ratio when both ran as many rounds', () => {
    const report = buildReport(machine, settings, [anchor, host]);
    const ratios = report.scenarios[1]!.ratios!;
    const paired = [3800 / 4000, 5300 / 5600, 3900 / 4200, 3600 / 3800, 3700 / 4100].sort(
      (a, b) => a - b,
    );
    expect(ratios.vsOidcProvider).toBeCloseTo(paired[2]!, 10);
    // The quotient of the two median rounds would read lower: 3800 / 4100.
    expect(ratios.vsOidcProvider).toBeGreaterThan(3800 / 4100);
    expect(ratios.p99VsOidcProvider).toBeCloseTo(
      [30 / 30, 21 / 20, 30 / 28, 33 / 32, 30 / 29].sort((a, b) => a - b)[2]!,
      10,
    );
    expect(report.scenarios[1]!.roundsRequestsPerSecond).toEqual([3800, 5300, 3900, 3600, 3700]);
    expect(report.scenarios[1]!.roundsP99Ms).toEqual([30, 21, 30, 33, 30]);
  });

  it('divides the median rounds when the row ran once, or more often than its base', () => {
    const once = outcome('once', [round(4500, 35)]);
    const twoBaseRounds = outcome('short-anchor', [round(4000, 30), round(4400, 30)]);
    const moreOften = outcome(
      'more',
      [round(3000, 40), round(3300, 40), round(3600, 40)],
      'short-anchor',
    );
    const report = buildReport(machine, settings, [anchor, once, twoBaseRounds, moreOften]);
    expect(report.scenarios[1]!.ratios!.vsOidcProvider).toBeCloseTo(4500 / 4100, 10);
    expect(report.scenarios[3]!.ratios!.vsOidcProvider).toBeCloseTo(3300 / 4000, 10);
  });

  it('gives no ratio to or from a row that was not measured', () => {
    const failed: ScenarioOutcome = {
      ...outcome('anchor', []),
      measurement: undefined,
      problem: 'x',
    };
    const report = buildReport(machine, settings, [failed, host]);
    expect(report.scenarios[1]!.ratios!.vsOidcProvider).toBeUndefined();
    expect(report.scenarios[0]!.ratios).toBeUndefined();
  });
});

describe('stepsLine', () => {
  it('adds the steps up and sets them against the inject figures', () => {
    const line = stepsLine({
      iterations: 10,
      rounds: 2,
      steps: [
        { name: 'guard', micros: 0.5 },
        { name: 'validation', micros: 2.25 },
      ],
      injectBareMicros: 20,
      injectRegistrationMicros: 30,
    });
    expect(line).toContain('guard 0.50 µs, validation 2.25 µs; 2.75 µs in all');
    expect(line).toContain("the module's steps are 2.75 of the 10.00 µs between them");
    expect(stepsLine(undefined)).toBe('Registration steps: not measured.');
  });
});
