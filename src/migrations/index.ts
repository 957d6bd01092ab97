import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121130706 } from './Migration20261121130706';

/**
 * Every committed migration, in order. Listed statically so the same code runs from src (jest)
 * and from dist (npm start) without globbing files. `npm run migration:create` writes new ones; add them here.
 */
export const migrationsList: MigrationObject[] = [{ name: 'Migration20261121130706', class: Migration20261121130706 }];
