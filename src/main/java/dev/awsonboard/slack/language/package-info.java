/**
 * The bot's words and who reads which language: {@link dev.awsonboard.slack.language.Texts} (the word files
 * {@code i18n/messages*.properties}, filled in and escaped for mrkdwn), {@link dev.awsonboard.slack.language.SlackText}
 * (what every text that goes to Slack needs: escaping, clipping, mentions), and the reader's language
 * ({@link dev.awsonboard.slack.language.Languages}: a person's own choice, else their Slack locale, else the default).
 * Depends on nothing else of {@code slack}: the builders, the Web API adapters and the listeners all speak through it.
 */
package dev.awsonboard.slack.language;
