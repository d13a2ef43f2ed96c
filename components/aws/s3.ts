export { Bucket } from "@pulumi/aws/s3/bucket";
export { BucketLifecycleConfiguration } from "@pulumi/aws/s3/bucketLifecycleConfiguration";
export { BucketObjectv2 } from "@pulumi/aws/s3/bucketObjectv2";
export { BucketOwnershipControls } from "@pulumi/aws/s3/bucketOwnershipControls";
export { BucketPolicy } from "@pulumi/aws/s3/bucketPolicy";
export { BucketPublicAccessBlock } from "@pulumi/aws/s3/bucketPublicAccessBlock";
export { BucketServerSideEncryptionConfiguration } from "@pulumi/aws/s3/bucketServerSideEncryptionConfiguration";
export { BucketVersioning } from "@pulumi/aws/s3/bucketVersioning";
