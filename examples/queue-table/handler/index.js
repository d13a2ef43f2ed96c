"use strict";
// Takes an order: records it in the table and queues it for fulfilment.
const { DynamoDBClient, PutItemCommand } = require("@aws-sdk/client-dynamodb");
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");

const dynamodb = new DynamoDBClient({});
const sqs = new SQSClient({});

exports.handler = async (event) => {
  const id = String(event.id ?? Date.now());
  await dynamodb.send(
    new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { id: { S: id } } }),
  );
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: process.env.QUEUE_URL,
      MessageBody: JSON.stringify({ id }),
    }),
  );
  return { id, version: process.env.APP_VERSION };
};
