"use strict";

exports.handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ message: `${process.env.GREETING}, ${event.name ?? "world"}` }),
});
