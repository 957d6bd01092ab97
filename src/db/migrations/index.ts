import type { MigrationObject } from '@mikro-orm/core';
import type { Dialect } from '../dialect';
import { Migration20261121130706 } from './sqlite/Migration20261121130706';
import { Migration20261121153739 } from './sqlite/Migration20261121153739';
import { Migration20261121192830 } from './sqlite/Migration20261121192830';
import { Migration20261130141500 as SqliteDataVersionTriggers } from './sqlite/Migration20261130141500';
import { Migration20261130145106 as SqliteEventTypes } from './sqlite/Migration20261130145106';
import { Migration20261130150239 as SqliteBookingPolicies } from './sqlite/Migration20261130150239';
import { Migration20261130155700 as SqliteCalendarFeeds } from './sqlite/Migration20261130155700';
import { Migration20261130163632 as SqliteWebhooks } from './sqlite/Migration20261130163632';
import { Migration20261130164000 as SqliteOwnerVersionLiveUpdates } from './sqlite/Migration20261130164000';
import { Migration20261207021000 as SqliteZoneRedatingAndEndpointLimit } from './sqlite/Migration20261207021000';
import { Migration20261207031100 as SqliteRenameBumpsVersion } from './sqlite/Migration20261207031100';
import { Migration20261207041000 as SqliteEmails } from './sqlite/Migration20261207041000';
import { Migration20261207045000 as SqliteOutboxClaimIndexes } from './sqlite/Migration20261207045000';
import { Migration20261207046000 as SqliteEndpointTimeoutBackoff } from './sqlite/Migration20261207046000';
import { Migration20261207050000 as SqliteBusyIntervals } from './sqlite/Migration20261207050000';
import { Migration20261207051000 as SqliteCalendarSources } from './sqlite/Migration20261207051000';
import { Migration20261207052000 as SqliteCalendarWrites } from './sqlite/Migration20261207052000';
import { Migration20261207053000 as SqliteAccounts } from './sqlite/Migration20261207053000';
import { Migration20261207070000 as SqliteSeats } from './sqlite/Migration20261207070000';
import { Migration20261207060000 as SqliteTeams } from './sqlite/Migration20261207060000';
import { Migration20261207060100 as SqliteCollectiveHostVersions } from './sqlite/Migration20261207060100';
import { Migration20261207060200 as SqliteCollectiveHostGuards } from './sqlite/Migration20261207060200';
import { Migration20261207091000 as SqliteCollectiveHostWebhooks } from './sqlite/Migration20261207091000';
import { Migration20261207091100 as SqliteCollectiveHostCalendarWrites } from './sqlite/Migration20261207091100';
import { Migration20261121134201 } from './postgresql/Migration20261121134201';
import { Migration20261121134539 } from './postgresql/Migration20261121134539';
import { Migration20261130141500 as PostgresDataVersionTriggers } from './postgresql/Migration20261130141500';
import { Migration20261130145114 as PostgresEventTypes } from './postgresql/Migration20261130145114';
import { Migration20261130150246 as PostgresBookingPolicies } from './postgresql/Migration20261130150246';
import { Migration20261130155704 as PostgresCalendarFeeds } from './postgresql/Migration20261130155704';
import { Migration20261130163634 as PostgresWebhooks } from './postgresql/Migration20261130163634';
import { Migration20261130164006 as PostgresOwnerVersionLiveUpdates } from './postgresql/Migration20261130164006';
import { Migration20261207021000 as PostgresZoneRedatingAndEndpointLimit } from './postgresql/Migration20261207021000';
import { Migration20261207031000 as PostgresRateLimitCounters } from './postgresql/Migration20261207031000';
import { Migration20261207031100 as PostgresRenameBumpsVersion } from './postgresql/Migration20261207031100';
import { Migration20261207041000 as PostgresEmails } from './postgresql/Migration20261207041000';
import { Migration20261207045000 as PostgresOutboxClaimIndexes } from './postgresql/Migration20261207045000';
import { Migration20261207046000 as PostgresEndpointTimeoutBackoff } from './postgresql/Migration20261207046000';
import { Migration20261207050000 as PostgresBusyIntervals } from './postgresql/Migration20261207050000';
import { Migration20261207051000 as PostgresCalendarSources } from './postgresql/Migration20261207051000';
import { Migration20261207052000 as PostgresCalendarWrites } from './postgresql/Migration20261207052000';
import { Migration20261207053000 as PostgresAccounts } from './postgresql/Migration20261207053000';
import { Migration20261207070000 as PostgresSeats } from './postgresql/Migration20261207070000';
import { Migration20261207093000 as PostgresBusyTimeLocks } from './postgresql/Migration20261207093000';
import { Migration20261207093100 as PostgresTeamIdempotencyKeys } from './postgresql/Migration20261207093100';
import { Migration20261207093100 as SqliteTeamIdempotencyKeys } from './sqlite/Migration20261207093100';
import { Migration20261207060000 as PostgresTeams } from './postgresql/Migration20261207060000';
import { Migration20261207060100 as PostgresCollectiveHostVersions } from './postgresql/Migration20261207060100';
import { Migration20261207060200 as PostgresCollectiveHostGuards } from './postgresql/Migration20261207060200';
import { Migration20261207091000 as PostgresCollectiveHostWebhooks } from './postgresql/Migration20261207091000';
import { Migration20261207091100 as PostgresCollectiveHostCalendarWrites } from './postgresql/Migration20261207091100';

/**
 * Every committed migration per database, in order. Listed statically so the same code runs
 * from src (jest) and from dist (npm start) without globbing files. `npm run migration:create`
 * (with DATABASE_URL naming the dialect) writes new ones into the dialect's folder; add them here.
 */
export const migrationsByDialect: Record<Dialect, MigrationObject[]> = {
  sqlite: [
    { name: 'Migration20261121130706', class: Migration20261121130706 },
    { name: 'Migration20261121153739', class: Migration20261121153739 },
    { name: 'Migration20261121192830', class: Migration20261121192830 },
    { name: 'Migration20261130141500', class: SqliteDataVersionTriggers },
    { name: 'Migration20261130145106', class: SqliteEventTypes },
    { name: 'Migration20261130150239', class: SqliteBookingPolicies },
    { name: 'Migration20261130155700', class: SqliteCalendarFeeds },
    { name: 'Migration20261130163632', class: SqliteWebhooks },
    { name: 'Migration20261130164000', class: SqliteOwnerVersionLiveUpdates },
    { name: 'Migration20261207021000', class: SqliteZoneRedatingAndEndpointLimit },
    { name: 'Migration20261207031100', class: SqliteRenameBumpsVersion },
    { name: 'Migration20261207041000', class: SqliteEmails },
    { name: 'Migration20261207045000', class: SqliteOutboxClaimIndexes },
    { name: 'Migration20261207046000', class: SqliteEndpointTimeoutBackoff },
    { name: 'Migration20261207050000', class: SqliteBusyIntervals },
    { name: 'Migration20261207051000', class: SqliteCalendarSources },
    { name: 'Migration20261207052000', class: SqliteCalendarWrites },
    { name: 'Migration20261207053000', class: SqliteAccounts },
    { name: 'Migration20261207060000', class: SqliteTeams },
    { name: 'Migration20261207060100', class: SqliteCollectiveHostVersions },
    { name: 'Migration20261207060200', class: SqliteCollectiveHostGuards },
    { name: 'Migration20261207070000', class: SqliteSeats },
    { name: 'Migration20261207091000', class: SqliteCollectiveHostWebhooks },
    { name: 'Migration20261207091100', class: SqliteCollectiveHostCalendarWrites },
    { name: 'Migration20261207093100', class: SqliteTeamIdempotencyKeys },
  ],
  postgresql: [
    { name: 'Migration20261121134201', class: Migration20261121134201 },
    { name: 'Migration20261121134539', class: Migration20261121134539 },
    { name: 'Migration20261130141500', class: PostgresDataVersionTriggers },
    { name: 'Migration20261130145114', class: PostgresEventTypes },
    { name: 'Migration20261130150246', class: PostgresBookingPolicies },
    { name: 'Migration20261130155704', class: PostgresCalendarFeeds },
    { name: 'Migration20261130163634', class: PostgresWebhooks },
    { name: 'Migration20261130164006', class: PostgresOwnerVersionLiveUpdates },
    { name: 'Migration20261207021000', class: PostgresZoneRedatingAndEndpointLimit },
    { name: 'Migration20261207031000', class: PostgresRateLimitCounters },
    { name: 'Migration20261207031100', class: PostgresRenameBumpsVersion },
    { name: 'Migration20261207041000', class: PostgresEmails },
    { name: 'Migration20261207045000', class: PostgresOutboxClaimIndexes },
    { name: 'Migration20261207046000', class: PostgresEndpointTimeoutBackoff },
    { name: 'Migration20261207050000', class: PostgresBusyIntervals },
    { name: 'Migration20261207051000', class: PostgresCalendarSources },
    { name: 'Migration20261207052000', class: PostgresCalendarWrites },
    { name: 'Migration20261207053000', class: PostgresAccounts },
    { name: 'Migration20261207060000', class: PostgresTeams },
    { name: 'Migration20261207060100', class: PostgresCollectiveHostVersions },
    { name: 'Migration20261207060200', class: PostgresCollectiveHostGuards },
    { name: 'Migration20261207070000', class: PostgresSeats },
    { name: 'Migration20261207091000', class: PostgresCollectiveHostWebhooks },
    { name: 'Migration20261207091100', class: PostgresCollectiveHostCalendarWrites },
    { name: 'Migration20261207093000', class: PostgresBusyTimeLocks },
    { name: 'Migration20261207093100', class: PostgresTeamIdempotencyKeys },
  ],
};
