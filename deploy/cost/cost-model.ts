import { estimateCost, type ModelDefinition } from '#libs/models';

/**
 * Monthly cost of the platform in AWS (us-east-1, on demand) for a job volume: the GPU (SageMaker hosting) by the
 * hour, with the cold start and the idle tail each burst of jobs pays before the endpoint scales back to zero, then
 * storage, transfer and requests, then the fixed cost of the always-on platform (Fargate, ALB, NAT, endpoints).
 * Prices are list prices at the time of writing: check the AWS pricing pages before relying on a figure.
 */
export const PRICES = {
  /** S3 Standard, per GB-month. */
  s3GbMonth: 0.023,
  /** S3 PUT/POST per 1000, GET per 1000. */
  s3PutPer1000: 0.005,
  s3GetPer1000: 0.0004,
  /** Internet egress per GB (first 10 TB). */
  transferOutGb: 0.09,
  /** DynamoDB on demand, per million write / read request units. */
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  /** SQS and SNS per million requests. */
  sqsPerMillion: 0.4,
  snsPerMillion: 0.5,
  /** Fargate Linux x86, per vCPU-hour and per GB-hour. */
  fargateVcpuHour: 0.04048,
  fargateGbHour: 0.004445,
  albHour: 0.0225,
  albLcuHour: 0.008,
  natHour: 0.045,
  natGb: 0.045,
  interfaceEndpointHourPerAz: 0.01,
  wafWebAcl: 5,
  wafRule: 1,
  kmsKey: 1,
  secret: 0.4,
  cloudWatchDashboard: 3,
  cloudWatchAlarm: 0.1,
  cloudWatchLogsGb: 0.5,
} as const;

const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = 30;

export interface Workload {
  jobsPerDay: number;
  /** Separate bursts of jobs per day: each one starts the endpoint from zero and pays the idle tail. */
  burstsPerDay: number;
  /** Minutes without backlog before the endpoint scales in (scale_in_idle_minutes). */
  idleMinutes: number;
  /** ENABLE_KEEP_WARM: hours a day one instance is kept whatever the load. */
  keepWarmHoursPerDay: number;
  imagesPerJob: number;
  retentionDays: number;
}

export interface PlatformShape {
  apiTasks: number;
  workerTasks: number;
  /** vCPU and GB of one task. */
  taskVcpu: number;
  taskGb: number;
  availabilityZones: number;
  natGateways: number;
  interfaceEndpoints: number;
  wafRules: number;
  alarms: number;
  logsGbPerMonth: number;
}

/** envs/dev's shape: one small api and worker task, one NAT gateway, no interface endpoints (AWS APIs via NAT). */
export const DEV_PLATFORM: PlatformShape = {
  apiTasks: 1,
  workerTasks: 1,
  taskVcpu: 0.25,
  taskGb: 0.5,
  availabilityZones: 2,
  natGateways: 1,
  interfaceEndpoints: 0,
  wafRules: 3,
  alarms: 8,
  logsGbPerMonth: 2,
};

/** envs/prod's shape (minimum counts): 2 api tasks of 1 vCPU / 2 GB, 2 workers, a NAT gateway and the 11 interface endpoints per zone. */
export const PROD_PLATFORM: PlatformShape = {
  apiTasks: 2,
  workerTasks: 2,
  taskVcpu: 0.75,
  taskGb: 1.5,
  availabilityZones: 2,
  natGateways: 2,
  interfaceEndpoints: 11,
  wafRules: 3,
  alarms: 8,
  logsGbPerMonth: 20,
};

export interface CostLine {
  item: string;
  usd: number;
  note: string;
}

export interface CostReport {
  model: string;
  secondsPerImage: number;
  gpuHoursPerMonth: number;
  /** Images per dollar of GPU time on a warm instance (no cold start, no idle tail). */
  imagesPerDollarWarm: number;
  /** Images per dollar of GPU time with the cold starts and idle tails of this workload. */
  imagesPerDollar: number;
  usage: CostLine[];
  platform: CostLine[];
  usageUsd: number;
  platformUsd: number;
  totalUsd: number;
}

/** Bytes of one image in the model's default format (PNG ~1.4 bytes per pixel for photos, JPEG ~0.25). */
export function imageMegabytes(model: Pick<ModelDefinition, 'defaults'>): number {
  const pixels = model.defaults.width * model.defaults.height;
  const bytesPerPixel =
    model.defaults.outputFormat === 'png' ? 1.4 : model.defaults.outputFormat === 'jpeg' ? 0.25 : 0.3;
  return (pixels * bytesPerPixel) / 1_000_000;
}

const round = (usd: number): number => Math.round(usd * 100) / 100;

export function gpuHoursPerDay(
  model: Pick<ModelDefinition, 'hosting' | 'timing' | 'defaults'>,
  workload: Workload,
): { busySeconds: number; hours: number } {
  const perJob = estimateCost(model, { ...model.defaults, numImages: workload.imagesPerJob }).gpuSeconds;
  const busySeconds = workload.jobsPerDay * perJob;
  const bursts = workload.jobsPerDay === 0 ? 0 : Math.min(workload.burstsPerDay, workload.jobsPerDay);
  const overheadSeconds = bursts * (model.hosting.coldStartSeconds + workload.idleMinutes * 60);
  // bursts inside the keep-warm window pay no cold start: counted conservatively as if none were
  const hours = Math.min(24, Math.max(workload.keepWarmHoursPerDay, (busySeconds + overheadSeconds) / 3600));
  return { busySeconds, hours };
}

export function monthlyCost(
  model: ModelDefinition,
  workload: Workload,
  platform: PlatformShape = DEV_PLATFORM,
): CostReport {
  const { busySeconds, hours } = gpuHoursPerDay(model, workload);
  const gpuHoursPerMonth = hours * DAYS_PER_MONTH;
  const imagesPerMonth = workload.jobsPerDay * workload.imagesPerJob * DAYS_PER_MONTH;
  const jobsPerMonth = workload.jobsPerDay * DAYS_PER_MONTH;
  const imageGb = imageMegabytes(model) / 1000;
  const storedGb = workload.jobsPerDay * workload.imagesPerJob * imageGb * workload.retentionDays;
  const transferGb = imagesPerMonth * imageGb;
  const gpuUsd = gpuHoursPerMonth * model.hosting.hourlyUsd;
  const secondsPerImage =
    workload.jobsPerDay > 0
      ? busySeconds / (workload.jobsPerDay * workload.imagesPerJob)
      : estimateCost(model, model.defaults).gpuSeconds;

  const usage: CostLine[] = [
    {
      item: 'GPU (SageMaker hosting)',
      usd: gpuUsd,
      note: `${gpuHoursPerMonth.toFixed(1)} h of ${model.hosting.instanceType} at $${model.hosting.hourlyUsd}/h (busy ${(
        (busySeconds * DAYS_PER_MONTH) /
        3600
      ).toFixed(1)} h, the rest cold starts and ${workload.idleMinutes}-minute idle tails)`,
    },
    {
      item: 'S3 storage',
      usd: storedGb * PRICES.s3GbMonth,
      note: `${storedGb.toFixed(1)} GB kept ${workload.retentionDays} days (images; requests and outputs are small)`,
    },
    {
      item: 'S3 requests',
      usd: (jobsPerMonth * 4 * PRICES.s3PutPer1000 + imagesPerMonth * 2 * PRICES.s3GetPer1000) / 1000,
      note: 'request, output, images, cancel checks',
    },
    {
      item: 'Data transfer out',
      usd: transferGb * PRICES.transferOutGb,
      note: `${transferGb.toFixed(1)} GB of images downloaded once`,
    },
    {
      item: 'DynamoDB, SQS, SNS',
      usd:
        (jobsPerMonth *
          (12 * PRICES.dynamoWritePerMillion +
            20 * PRICES.dynamoReadPerMillion +
            6 * PRICES.sqsPerMillion +
            2 * PRICES.snsPerMillion)) /
        1_000_000,
      note: 'on demand: ~12 writes, ~20 reads, 6 SQS and 2 SNS requests per job',
    },
  ];
  const tasks = platform.apiTasks + platform.workerTasks;
  const platformLines: CostLine[] = [
    {
      item: 'Fargate (api, worker)',
      usd:
        tasks * (platform.taskVcpu * PRICES.fargateVcpuHour + platform.taskGb * PRICES.fargateGbHour) * HOURS_PER_MONTH,
      note: `${tasks} tasks of ${platform.taskVcpu} vCPU / ${platform.taskGb} GB, always on`,
    },
    { item: 'Load balancer', usd: (PRICES.albHour + PRICES.albLcuHour) * HOURS_PER_MONTH, note: '1 ALB, ~1 LCU' },
    {
      item: 'NAT gateway',
      usd: platform.natGateways * PRICES.natHour * HOURS_PER_MONTH,
      note: `${platform.natGateways} (webhooks, the IdP's keys)`,
    },
    {
      item: 'Interface VPC endpoints',
      usd:
        platform.interfaceEndpoints * platform.availabilityZones * PRICES.interfaceEndpointHourPerAz * HOURS_PER_MONTH,
      note: `${platform.interfaceEndpoints} services x ${platform.availabilityZones} zones (S3 and DynamoDB gateways are free)`,
    },
    {
      item: 'WAF',
      usd: PRICES.wafWebAcl + platform.wafRules * PRICES.wafRule,
      note: `1 web ACL, ${platform.wafRules} rules (+$0.60 per million requests)`,
    },
    {
      item: 'CloudWatch',
      usd:
        PRICES.cloudWatchDashboard +
        platform.alarms * PRICES.cloudWatchAlarm +
        platform.logsGbPerMonth * PRICES.cloudWatchLogsGb,
      note: `dashboard, ${platform.alarms} alarms, ${platform.logsGbPerMonth} GB of logs`,
    },
    { item: 'KMS, Secrets Manager', usd: 2 * PRICES.kmsKey + 2 * PRICES.secret, note: '2 keys, 2 secrets' },
  ];
  const usageUsd = usage.reduce((sum, line) => sum + line.usd, 0);
  const platformUsd = platformLines.reduce((sum, line) => sum + line.usd, 0);
  const warmCostPerImage = (secondsPerImage * model.hosting.hourlyUsd) / 3600;
  return {
    model: model.id,
    secondsPerImage: Math.round(secondsPerImage * 100) / 100,
    gpuHoursPerMonth: Math.round(gpuHoursPerMonth * 10) / 10,
    imagesPerDollarWarm: Math.round(1 / warmCostPerImage),
    imagesPerDollar: gpuUsd > 0 ? Math.round(imagesPerMonth / gpuUsd) : 0,
    usage: usage.map((line) => ({ ...line, usd: round(line.usd) })),
    platform: platformLines.map((line) => ({ ...line, usd: round(line.usd) })),
    usageUsd: round(usageUsd),
    platformUsd: round(platformUsd),
    totalUsd: round(usageUsd + platformUsd),
  };
}

export const DEFAULT_WORKLOAD: Omit<Workload, 'jobsPerDay'> = {
  burstsPerDay: 4,
  idleMinutes: 15,
  keepWarmHoursPerDay: 0,
  imagesPerJob: 1,
  retentionDays: 30,
};
