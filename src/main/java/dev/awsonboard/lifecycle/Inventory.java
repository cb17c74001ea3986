package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.port.IamGateway;

import java.util.ArrayList;
import java.util.List;

/** What an IAM user holds, read from IAM, in the order offboarding removes it. */
final class Inventory {
    private final IamGateway iam;
    private final IamRetry retry;

    Inventory(IamGateway iam, IamRetry retry) {
        this.iam = iam;
        this.retry = retry;
    }

    /** Everything that must go before DeleteUser. Throws NO_SUCH_ENTITY when the user does not exist. */
    List<Holding> of(String user) {
        List<Holding> all = new ArrayList<>();
        for (Holding.Type type : Holding.Type.values()) {
            all.addAll(of(user, type));
        }
        return all;
    }

    List<Holding> of(String user, Holding.Type type) {
        return retry.call(IamRetry.Mode.TRANSIENT, () -> read(user, type), e -> { });
    }

    private List<Holding> read(String user, Holding.Type type) {
        return switch (type) {
            case LOGIN_PROFILE -> iam.hasLoginProfile(user) ? List.of(new Holding(type, user)) : List.of();
            case ACCESS_KEY -> holdings(type, iam.accessKeyIds(user));
            case SIGNING_CERTIFICATE -> holdings(type, iam.signingCertificateIds(user));
            case SSH_KEY -> holdings(type, iam.sshPublicKeyIds(user));
            case SERVICE_CREDENTIAL -> holdings(type, iam.serviceSpecificCredentialIds(user));
            case VIRTUAL_MFA_DEVICE -> iam.mfaDevices(user).stream()
                    .filter(d -> d.type() == IamGateway.MfaDevice.Type.VIRTUAL)
                    .map(d -> new Holding(type, d.serialNumber())).toList();
            case OTHER_MFA_DEVICE -> iam.mfaDevices(user).stream()
                    .filter(d -> d.type() != IamGateway.MfaDevice.Type.VIRTUAL)
                    .map(d -> new Holding(type, d.serialNumber())).toList();
            case INLINE_POLICY -> holdings(type, iam.inlinePolicyNames(user));
            case MANAGED_POLICY -> holdings(type, iam.attachedPolicyArns(user));
            case GROUP -> holdings(type, iam.groupsOf(user));
        };
    }

    private static List<Holding> holdings(Holding.Type type, List<String> ids) {
        return ids.stream().map(id -> new Holding(type, id)).toList();
    }
}
