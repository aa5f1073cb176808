import type { Provider } from '@nestjs/common';
import { type AwsAdaptersConfig, createDynamoDbDocumentClient, JobRepository } from '#libs/aws';
import { InFlightRepository } from './in-flight.repository.js';
import { InFlightReservations } from './in-flight-reservations.js';

/**
 * The quota bookkeeping both processes share: InFlightReservations, which each process also lists among its
 * JOB_FINAL_LISTENERS (the worker's finalizer and the api's refused submissions release a job's slot through it).
 */
export function quotaProviders(config: AwsAdaptersConfig): Provider[] {
  return [
    {
      provide: InFlightReservations,
      inject: [JobRepository],
      useFactory: (jobs: JobRepository) =>
        new InFlightReservations(
          new InFlightRepository(createDynamoDbDocumentClient(config.aws), config.resources.accountsTable),
          jobs,
        ),
    },
  ];
}
