// `npm run schema:emit`: writes schema.graphql from the code (a test fails when the committed file is stale).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printAppSchema } from './graphql/schema';

printAppSchema().then((sdl) => {
  writeFileSync(join(__dirname, '..', 'schema.graphql'), sdl);
  console.log('wrote schema.graphql');
});
