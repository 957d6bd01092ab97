import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars';

/**
 * An instant that formats itself once. A cached answer is served to many requests, and
 * Date#toISOString for each of its instants (the DateTime scalar calls it) was the largest
 * single cost of a cached freeSlots answer. Instances are shared between requests: never mutate.
 */
export class FormattedInstant extends Date {
  private readonly iso: string;

  constructor(ms: number) {
    super(ms);
    this.iso = super.toISOString();
  }

  override toISOString(): string {
    return this.iso;
  }
}

@ObjectType({ description: 'A free, bookable slot of the owner.', simpleResolvers: true })
export class Slot {
  @Field(() => DateTimeScalar, { description: 'Start of the slot; bookSlot takes it as startsAt.' })
  startsAt!: Date;

  @Field(() => DateTimeScalar, { description: "End of the slot: startsAt plus its length in real minutes (the owner's slotMinutes, or the event type's duration)." })
  endsAt!: Date;

  @Field(() => Int, { nullable: true, description: "A group event's seats still free at this start (docs/api.md, Part 3, 38); null unless the event type has seatsPerSlot." })
  seatsLeft?: number | null;
}
