import { Field, InputType } from 'type-graphql';

// Every rule below is checked by TeamService (team.service.ts), which names the field and the
// rule in BAD_USER_INPUT; the descriptions say the same to clients.

@InputType({ description: 'A new team: its name and the slug in its links.' })
export class TeamInput {
  @Field({ description: '1 to 200 characters (trimmed).' })
  name!: string;

  @Field({ description: '[a-z0-9-], 1 to 60 characters, starting and ending with a letter or digit; unique among teams.' })
  slug!: string;
}
