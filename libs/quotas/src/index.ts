export * from './in-flight.repository.js';
export * from './in-flight-reservations.js';
export * from './quotas.providers.js';
