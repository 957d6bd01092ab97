import { Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Owner } from '../owner/owner.entity';
import { Account } from '../account/account.entity';

/** How a team event type books its members (docs/api.md, Part 3, 36-37). */
export enum SchedulingType {
  ROUND_ROBIN = 'ROUND_ROBIN',
  COLLECTIVE = 'COLLECTIVE',
}
registerEnumType(SchedulingType, {
  name: 'SchedulingType',
  description: 'How a team event type books its members.',
  valuesConfig: {
    ROUND_ROBIN: { description: 'A start is free when one member is free; each booking is assigned one member (priority, then bookings this month per weight, then least recently booked, then id).' },
    COLLECTIVE: { description: "A start is free when every member is free; each booking occupies every member's time." },
  },
});

/** A team (docs/api.md, Part 3, 35): calendars offering event types together. Neither an account nor a calendar. */
@ObjectType({ description: 'Calendars that offer event types together: round robin (one member per booking) or collective (all members).' })
@Entity({ tableName: 'team' })
export class Team {
  @Field(() => ID, { description: 'Opaque id; the team mutations take it as teamId.' })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field({ description: 'Display name, 1 to 200 characters.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field({ description: 'Name in links: [a-z0-9-], 1 to 60 characters, starting and ending with a letter or digit; unique among teams.' })
  @Property({ type: 'string', length: 60, unique: 'team_slug_unique' })
  slug!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** A calendar's place in a team: its priority (0..4, higher first) and weight (1..100) for round robin. */
@ObjectType({ description: "A calendar's membership of a team, with its round-robin priority and weight." })
@Entity({ tableName: 'team_member' })
@Index({ name: 'team_member_owner_id_index', properties: ['owner'] })
export class TeamMember {
  @ManyToOne(() => Team, { primary: true, deleteRule: 'cascade' })
  team!: Rel<Team>;

  @ManyToOne(() => Owner, { primary: true, deleteRule: 'cascade', index: false })
  owner!: Rel<Owner>;

  @Field(() => Int, { description: 'Round robin: 0 to 4; members of a higher priority are assigned first (default 2).' })
  @Property({ type: 'integer', default: 2 })
  priority: number = 2;

  @Field(() => Int, { description: "Round robin: 1 to 100; among equal priorities, this month's bookings are compared divided by it (default 1)." })
  @Property({ type: 'integer', default: 1 })
  weight: number = 1;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** An account that administers a team: the one that created it (docs/api.md, Part 3, createTeam). */
@Entity({ tableName: 'team_admin' })
@Index({ name: 'team_admin_account_id_index', properties: ['account'] })
export class TeamAdmin {
  @ManyToOne(() => Team, { primary: true, deleteRule: 'cascade' })
  team!: Rel<Team>;

  @ManyToOne(() => Account, { primary: true, deleteRule: 'cascade', index: false })
  account!: Rel<Account>;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
