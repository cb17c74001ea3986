package dev.awsonboard.slack.inbound;

import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.builtin.RequestVerification;

import java.util.ArrayList;
import java.util.List;

/** Bolt's app with {@link SigningSecretVerifier} in place of Bolt's own signature check, at the same place in the chain. */
final class VerifyingApp extends App {
    VerifyingApp(AppConfig config) {
        super(config);
    }

    @Override
    protected List<Middleware> buildDefaultMiddlewareList(AppConfig config) {
        List<Middleware> list = new ArrayList<>(super.buildDefaultMiddlewareList(config));
        list.replaceAll(m -> m instanceof RequestVerification
                ? new RequestVerification(new SigningSecretVerifier(config.getSigningSecret())) : m);
        if (list.stream().noneMatch(m -> m instanceof RequestVerification)) {
            throw new IllegalStateException("Bolt built no request verification to replace");
        }
        return list;
    }
}
