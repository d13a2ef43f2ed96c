export { Topic } from "@pulumi/aws/sns/topic";
export { TopicPolicy } from "@pulumi/aws/sns/topicPolicy";
export { TopicSubscription } from "@pulumi/aws/sns/topicSubscription";
