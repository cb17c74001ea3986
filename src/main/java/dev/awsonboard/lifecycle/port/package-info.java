/**
 * What the domain needs from the world, named by role; the adapters (JDBC, the AWS SDK, Slack's
 * Web API) implement them, and tests use in-memory ones. Failures cross as domain exceptions
 * ({@link dev.awsonboard.lifecycle.port.IamException}, {@link dev.awsonboard.lifecycle.port.NotifierException}),
 * never as a library's.
 */
package dev.awsonboard.lifecycle.port;
