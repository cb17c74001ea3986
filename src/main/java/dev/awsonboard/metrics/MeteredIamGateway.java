package dev.awsonboard.metrics;

import dev.awsonboard.config.Secret;
import dev.awsonboard.onboarding.IamException;
import dev.awsonboard.onboarding.IamGateway;
import dev.awsonboard.onboarding.PasswordPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Times every IAM call ({@code aws_onboard_iam_call_seconds{action,outcome}}) and counts the
 * failures by AWS error code ({@code aws_onboard_iam_errors_total{action,code}}). Actions are
 * named as in the IAM API. Only names and codes are recorded: never an argument.
 */
public final class MeteredIamGateway implements IamGateway {
    private final IamGateway iam;
    private final Metrics metrics;

    public MeteredIamGateway(IamGateway iam, Metrics metrics) {
        this.iam = iam;
        this.metrics = metrics;
    }

    private <T> T timed(String action, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            metrics.iamCall(action, "ok", Duration.ofNanos(System.nanoTime() - start));
            return result;
        } catch (IamException e) {
            metrics.iamCall(action, "error", Duration.ofNanos(System.nanoTime() - start));
            metrics.iamError(action, e.code());
            throw e;
        } catch (RuntimeException e) {
            metrics.iamCall(action, "error", Duration.ofNanos(System.nanoTime() - start));
            metrics.iamError(action, e.getClass().getSimpleName());
            throw e;
        }
    }

    private void timed(String action, Runnable call) {
        timed(action, () -> {
            call.run();
            return null;
        });
    }

    @Override
    public CreatedUser createUser(String userName, String path, Map<String, String> tags, Optional<String> permissionsBoundary) {
        return timed("CreateUser", () -> iam.createUser(userName, path, tags, permissionsBoundary));
    }

    @Override
    public Optional<ExistingUser> findUser(String userName) {
        return timed("GetUser", () -> iam.findUser(userName));
    }

    @Override
    public void addUserToGroup(String userName, String groupName) {
        timed("AddUserToGroup", () -> iam.addUserToGroup(userName, groupName));
    }

    @Override
    public PasswordPolicy passwordPolicy() {
        return timed("GetAccountPasswordPolicy", iam::passwordPolicy);
    }

    @Override
    public void createLoginProfile(String userName, Secret password, boolean passwordResetRequired) {
        timed("CreateLoginProfile", () -> iam.createLoginProfile(userName, password, passwordResetRequired));
    }

    @Override
    public void updateLoginProfile(String userName, Secret password, boolean passwordResetRequired) {
        timed("UpdateLoginProfile", () -> iam.updateLoginProfile(userName, password, passwordResetRequired));
    }

    @Override
    public VirtualMfaDevice createVirtualMfaDevice(String deviceName, String path) {
        return timed("CreateVirtualMFADevice", () -> iam.createVirtualMfaDevice(deviceName, path));
    }

    @Override
    public void enableMfaDevice(String userName, String serialNumber, String code1, String code2) {
        timed("EnableMFADevice", () -> iam.enableMfaDevice(userName, serialNumber, code1, code2));
    }

    @Override
    public void deleteVirtualMfaDevice(String serialNumber) {
        timed("DeleteVirtualMFADevice", () -> iam.deleteVirtualMfaDevice(serialNumber));
    }

    @Override
    public List<String> unassignedVirtualMfaDevices(String path) {
        return timed("ListVirtualMFADevices", () -> iam.unassignedVirtualMfaDevices(path));
    }

    @Override
    public void removeUserFromGroup(String userName, String groupName) {
        timed("RemoveUserFromGroup", () -> iam.removeUserFromGroup(userName, groupName));
    }

    @Override
    public void deleteLoginProfile(String userName) {
        timed("DeleteLoginProfile", () -> iam.deleteLoginProfile(userName));
    }

    @Override
    public void deactivateMfaDevice(String userName, String serialNumber) {
        timed("DeactivateMFADevice", () -> iam.deactivateMfaDevice(userName, serialNumber));
    }

    @Override
    public void deleteUser(String userName) {
        timed("DeleteUser", () -> iam.deleteUser(userName));
    }

    @Override
    public Optional<String> accountAlias() {
        return timed("ListAccountAliases", iam::accountAlias);
    }
}
