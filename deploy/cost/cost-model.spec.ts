import { BUILT_IN_MODELS, type ModelDefinition } from '#libs/models';
import { DEFAULT_WORKLOAD, DEV_PLATFORM, gpuHoursPerDay, monthlyCost, PROD_PLATFORM } from './cost-model.js';

const model = (id: string): ModelDefinition => {
  const found = BUILT_IN_MODELS.find((candidate) => candidate.id === id);
  if (!found) {
    throw new Error(id);
  }
  return found;
};
const SDXL = model('stable-diffusion-xl');
const workload = (jobsPerDay: number, overrides = {}) => ({ ...DEFAULT_WORKLOAD, jobsPerDay, ...overrides });

describe('monthly cost', () => {
  it('prices SageMaker hosting at $1.408/h, with a cold start and an idle tail per burst', () => {
    // 500 x 9.402 s (0.5 s + 0.283 s x 30 steps x 1.048576 MP) + 4 bursts x (360 s cold start + 15 min idle)
    const { busySeconds, hours } = gpuHoursPerDay(SDXL, workload(500));
    expect(busySeconds).toBeCloseTo(4701, 1);
    expect(hours).toBeCloseTo((4701 + 4 * (360 + 900)) / 3600, 3);
    const report = monthlyCost(SDXL, workload(500));
    expect(report.usage[0]?.usd).toBeCloseTo(((4701 + 5040) / 3600) * 30 * 1.408, 1);
    expect(report.gpuHoursPerMonth).toBe(81.2);
  });

  it('costs no GPU at all without jobs (scale to zero), unless kept warm', () => {
    expect(monthlyCost(SDXL, workload(0)).usage[0]?.usd).toBe(0);
    expect(monthlyCost(SDXL, workload(0, { keepWarmHoursPerDay: 12 })).gpuHoursPerMonth).toBe(360);
  });

  it('never bills more than 24 instance-hours a day (one instance)', () => {
    expect(gpuHoursPerDay(SDXL, workload(50_000)).hours).toBe(24);
  });

  it('charges the idle tail per burst: fewer, larger bursts cost less', () => {
    expect(monthlyCost(SDXL, workload(500, { burstsPerDay: 1 })).usageUsd).toBeLessThan(
      monthlyCost(SDXL, workload(500, { burstsPerDay: 10 })).usageUsd,
    );
  });

  it('gives the distilled SDXL-Turbo many times the images per dollar of SDXL', () => {
    const sdxl = monthlyCost(SDXL, workload(500)).imagesPerDollarWarm;
    const turbo = monthlyCost(model('sdxl-turbo'), workload(500)).imagesPerDollarWarm;
    expect(sdxl).toBe(Math.round(3600 / (9.4 * 1.408)));
    expect(turbo).toBeGreaterThan(20 * sdxl);
  });

  it('adds the always-on platform: prod (interface endpoints, two NAT gateways) costs more than dev', () => {
    const dev = monthlyCost(SDXL, workload(500), DEV_PLATFORM);
    const prod = monthlyCost(SDXL, workload(500), PROD_PLATFORM);
    expect(dev.platform.find((line) => line.item === 'Interface VPC endpoints')?.usd).toBe(0);
    expect(prod.platform.find((line) => line.item === 'Interface VPC endpoints')?.usd).toBeCloseTo(
      11 * 2 * 0.01 * 730,
      1,
    );
    expect(prod.platformUsd).toBeGreaterThan(dev.platformUsd);
    expect(dev.totalUsd).toBeCloseTo(dev.usageUsd + dev.platformUsd, 1);
  });
});
