/**
 * The values the domain speaks in: a {@link dev.awsonboard.lifecycle.model.Request} with its
 * {@link dev.awsonboard.lifecycle.model.Kind}, {@link dev.awsonboard.lifecycle.model.Status} and
 * {@link dev.awsonboard.lifecycle.model.Step}; {@link dev.awsonboard.lifecycle.model.Notice}s
 * (a {@link dev.awsonboard.lifecycle.model.Reason} with arguments, never words or secrets) and
 * {@link dev.awsonboard.lifecycle.model.Outcome}s; the rules read from configuration
 * ({@link dev.awsonboard.lifecycle.model.AccessPolicy},
 * {@link dev.awsonboard.lifecycle.model.ProvisioningSettings}). Immutable; no behaviour that
 * reaches outside.
 */
package dev.awsonboard.lifecycle.model;
