import type { Provider } from '@nestjs/common';
import { jobFinalizerProvider } from '#libs/jobs';
import type { ApiConfig } from '../../config/api.config.js';
import { AnnounceToWatchers, jobWatchHubProvider } from '../../events/job-watch-hub.provider.js';
import { JobWatchHub } from '../../events/job-watch-hub.js';
import { RealtimeInvocations } from './realtime-invocations.js';

/**
 * Real-time mode in the api: the worker's JobFinalizer (the api finalizes real-time jobs itself), told to the same
 * final-state listeners plus this instance's watchers (a `Prefer: wait` submission learns at once), and the
 * invocations it runs. Also the instance's JobWatchHub, which the event streams share.
 */
export function realtimeProviders(config: Pick<ApiConfig, 'resources'>): Provider[] {
  return [
    jobWatchHubProvider,
    jobFinalizerProvider(config.resources.imagesBucket, {
      inject: [JobWatchHub],
      listeners: (hub: JobWatchHub) => [new AnnounceToWatchers(hub)],
    }),
    RealtimeInvocations,
  ];
}
