import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars';

/** A stretch of the owner's time that another calendar holds busy (Owner.busy), merged with the ones it overlaps or touches. */
@ObjectType('BusyInterval', { description: "Time the owner's other calendars hold busy; overlapping or touching intervals are merged.", simpleResolvers: true })
export class BusyIntervalType {
  @Field(() => DateTimeScalar, { description: 'Start of the busy time, unclipped by the range asked.' })
  startsAt!: Date;

  @Field(() => DateTimeScalar, { description: 'End of the busy time, unclipped by the range asked.' })
  endsAt!: Date;
}
