/**
 * Adapters over Slack's Web API, all through one client ({@link dev.awsonboard.slack.webapi.SlackClients}) and
 * one retry policy ({@link dev.awsonboard.slack.webapi.SlackCalls}): the domain's ports
 * ({@link dev.awsonboard.slack.webapi.SlackNotifier} is the {@code Notifier},
 * {@link dev.awsonboard.slack.webapi.SlackPeople} the {@code People},
 * {@link dev.awsonboard.slack.webapi.SlackReminders} the {@code ReminderSender}), the App Home publisher and the
 * request-store decorators that post to Slack after a write ({@link dev.awsonboard.slack.webapi.HomeUpdates},
 * {@link dev.awsonboard.slack.webapi.AuditChannel}). Renders with {@code slack.render} in the reader's
 * {@code slack.language}; knows nothing of the listeners.
 */
package dev.awsonboard.slack.webapi;
