export { NotificationRule } from "@pulumi/aws/codestarnotifications/notificationRule";
