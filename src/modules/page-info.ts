import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a page of a list ends, and whether more follow.' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the page's last item: pass it as `after` for the next page. Null when the page is empty." })
  endCursor!: string | null;
}
