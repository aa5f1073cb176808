import type { Provider } from '@nestjs/common';
import { type AwsAdaptersConfig, AwsClients, JobRepository, UsageLedger } from '#libs/aws';
import { JOB_FINAL_LISTENERS, type JobFinalListener, SettledMarker, UsageSettlement } from '#libs/jobs';
import { WebhookEvents } from '#libs/webhooks';
import { InFlightRepository } from './in-flight.repository.js';
import { InFlightReservations } from './in-flight-reservations.js';

/**
 * The quota and budget bookkeeping both processes share: InFlightReservations, and the JOB_FINAL_LISTENERS told when
 * a job becomes final (by the worker's finalizer, or the api on a refused submission): the in-flight release, the
 * usage settlement, the `completed` webhook event (WebhookEvents, from webhookProviders, which both processes
 * register) and, last, the SettledMarker that takes the job out of the reaper's index of unsettled jobs.
 */
export function quotaProviders(config: AwsAdaptersConfig): Provider[] {
  return [
    {
      provide: InFlightReservations,
      inject: [AwsClients, JobRepository],
      useFactory: (clients: AwsClients, jobs: JobRepository) =>
        new InFlightReservations(new InFlightRepository(clients.documents, config.resources.accountsTable), jobs),
    },
    {
      provide: JOB_FINAL_LISTENERS,
      inject: [InFlightReservations, UsageLedger, WebhookEvents, JobRepository],
      useFactory: (
        inFlight: InFlightReservations,
        ledger: UsageLedger,
        webhooks: WebhookEvents,
        jobs: JobRepository,
      ): JobFinalListener[] => [
        inFlight,
        new UsageSettlement(ledger),
        // after the bookkeeping: it is settled even when the webhook queue is down (the report is then retried)
        webhooks,
        // last: the job leaves the reaper's index only once everything above has taken its final state
        new SettledMarker(jobs),
      ],
    },
  ];
}
