/**
 * Pure builders of what the bot shows in Slack, with the SDK's Block Kit DSL: messages
 * ({@link dev.awsonboard.slack.render.Messages}), modals ({@link dev.awsonboard.slack.render.Modals}) and the App
 * Home tab ({@link dev.awsonboard.slack.render.Home}), and the ids they put into Slack that the listeners read
 * back ({@link dev.awsonboard.slack.render.Ids}). Same request and language in, same blocks out: no call to Slack
 * or anything else, so each is golden-tested. Uses {@code slack.language} only, never the Web API adapters or the
 * listeners.
 */
package dev.awsonboard.slack.render;
