package dev.awsonboard.lifecycle.port;

import dev.awsonboard.config.Secret;

/** Renders the QR image an authenticator app scans, the way AWS labels its own. */
public interface SetupQr {
    byte[] png(String accountLabel, String iamUserName, Secret base32Seed);
}
