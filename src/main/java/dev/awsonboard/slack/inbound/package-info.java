/**
 * What Slack sends the bot, and the bot's answers to it. {@link dev.awsonboard.slack.inbound.SlackApp} is the Bolt
 * app as a route table: the rules every request goes through, as named middleware
 * ({@link dev.awsonboard.slack.inbound.EachEventOnce}, and {@link dev.awsonboard.slack.inbound.SigningSecretVerifier}
 * in Bolt's own signature check), then one thin listener per Slack action, handing the work to a use case. Also the
 * slash command's words ({@link dev.awsonboard.slack.inbound.CommandText}) and the two ways in: Socket Mode and
 * {@code POST /slack/events} ({@link dev.awsonboard.slack.inbound.SlackEndpoint} behind
 * {@link dev.awsonboard.slack.inbound.SlackHandler}, which {@code web.WebServer} puts in front of Javalin).
 *
 * <p>Listeners build nothing themselves: blocks come from {@code slack.render}, words from {@code slack.language},
 * and anything sent after the acknowledgement goes through {@code slack.webapi}. Nothing outside this package makes
 * or calls a listener: the composition root gets them all from {@link dev.awsonboard.slack.inbound.SlackApp.Listeners#over}.
 */
package dev.awsonboard.slack.inbound;
