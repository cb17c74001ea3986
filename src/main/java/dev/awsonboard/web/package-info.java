/**
 * The bot's HTTP server ({@link dev.awsonboard.web.WebServer}, Javalin on Jetty): the liveness and readiness probes
 * ({@link dev.awsonboard.web.Readiness}) and the metrics route. Slack's own endpoint is in {@code slack.inbound};
 * the server puts it in front of Javalin.
 */
package dev.awsonboard.web;
