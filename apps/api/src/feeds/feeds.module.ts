import { Module } from '@nestjs/common';
import { ConsumerGroupsController } from './consumer-groups.controller';
import { FeedController } from './feed.controller';
import { GroupMembers } from './group-members';
import { OpenStreams } from './open-streams';

/** `/feed` and `/feed/groups`: the event feeds for consumers. */
@Module({
  controllers: [FeedController, ConsumerGroupsController],
  providers: [GroupMembers, OpenStreams],
})
export class FeedsModule {}
