/**
 * What Slack sends the bot, and the bot's answers to it: the Bolt app ({@link dev.awsonboard.slack.inbound.SlackApp}),
 * one thin listener per Slack action handing the work to a use case, the slash command's words
 * ({@link dev.awsonboard.slack.inbound.CommandText}), the signature check, and the two ways in: Socket Mode and
 * {@code POST /slack/events} ({@link dev.awsonboard.slack.inbound.SlackEndpoint} behind
 * {@link dev.awsonboard.slack.inbound.SlackHandler}, which {@code web.WebServer} puts in front of Javalin). Listeners build nothing
 * themselves: blocks come from {@code slack.render}, words from {@code slack.language}, and anything sent after the
 * acknowledgement goes through {@code slack.webapi}.
 */
package dev.awsonboard.slack.inbound;
