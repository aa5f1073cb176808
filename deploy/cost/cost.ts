// npm run cost -- --jobs-per-day 500 --model stable-diffusion-xl [--bursts-per-day 4] [--idle-minutes 15]
//   [--keep-warm-hours 0] [--images-per-job 1] [--retention-days 30] [--platform dev|prod]
import { parseArgs } from 'node:util';
import { BUILT_IN_MODELS } from '#libs/models';
import { DEFAULT_WORKLOAD, DEV_PLATFORM, monthlyCost, PROD_PLATFORM, type CostLine } from './cost-model.js';

const { values } = parseArgs({
  options: {
    'jobs-per-day': { type: 'string', default: '500' },
    model: { type: 'string', default: 'stable-diffusion-xl' },
    'bursts-per-day': { type: 'string', default: String(DEFAULT_WORKLOAD.burstsPerDay) },
    'idle-minutes': { type: 'string', default: String(DEFAULT_WORKLOAD.idleMinutes) },
    'keep-warm-hours': { type: 'string', default: String(DEFAULT_WORKLOAD.keepWarmHoursPerDay) },
    'images-per-job': { type: 'string', default: String(DEFAULT_WORKLOAD.imagesPerJob) },
    'retention-days': { type: 'string', default: String(DEFAULT_WORKLOAD.retentionDays) },
    platform: { type: 'string', default: 'dev' },
  },
});

const number = (name: keyof typeof values): number => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`--${name} must be a number >= 0, got ${String(values[name])}`);
  }
  return value;
};

const model = BUILT_IN_MODELS.find((candidate) => candidate.id === values.model);
if (!model) {
  throw new Error(`--model must be one of ${BUILT_IN_MODELS.map((candidate) => candidate.id).join(', ')}`);
}
const workload = {
  jobsPerDay: number('jobs-per-day'),
  burstsPerDay: number('bursts-per-day'),
  idleMinutes: number('idle-minutes'),
  keepWarmHoursPerDay: number('keep-warm-hours'),
  imagesPerJob: number('images-per-job'),
  retentionDays: number('retention-days'),
};
if (values.platform !== 'dev' && values.platform !== 'prod') {
  throw new Error('--platform must be dev or prod');
}
const platform = values.platform === 'dev' ? DEV_PLATFORM : PROD_PLATFORM;
const report = monthlyCost(model, workload, platform);
const lines = (rows: CostLine[]): string =>
  rows.map((row) => `  ${row.item.padEnd(26)} $${row.usd.toFixed(2).padStart(9)}  ${row.note}`).join('\n');

console.log(`${workload.jobsPerDay} jobs/day on ${model.id} (${model.endpointName}), per month (30 days), us-east-1:`);
console.log(
  `\nUsage\n${lines(report.usage)}\n  ${'usage total'.padEnd(26)} $${report.usageUsd.toFixed(2).padStart(9)}`,
);
console.log(
  `\nPlatform (envs/${values.platform}, always on)\n${lines(report.platform)}\n  ${'platform total'.padEnd(26)} $${report.platformUsd.toFixed(2).padStart(9)}`,
);
console.log(`\nTotal                        $${report.totalUsd.toFixed(2).padStart(9)}`);
console.log(
  `\n${report.secondsPerImage} GPU s per image; images per dollar of GPU: ${report.imagesPerDollar} with this workload's ` +
    `cold starts and idle tails, ${report.imagesPerDollarWarm} on a warm instance.`,
);
console.log('\nImages per dollar of GPU on a warm instance, per catalog model (default settings):');
for (const candidate of BUILT_IN_MODELS) {
  const warm = monthlyCost(candidate, { ...workload, jobsPerDay: 0 });
  console.log(
    `  ${candidate.id.padEnd(22)} ${String(warm.imagesPerDollarWarm).padStart(6)}  (${warm.secondsPerImage} s per image)`,
  );
}
