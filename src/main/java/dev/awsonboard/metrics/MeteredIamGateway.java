package dev.awsonboard.metrics;

import dev.awsonboard.config.Secret;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.model.PasswordPolicy;

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

    @Override
    public boolean hasLoginProfile(String userName) {
        return timed("GetLoginProfile", () -> iam.hasLoginProfile(userName));
    }

    @Override
    public List<MfaDevice> mfaDevices(String userName) {
        return timed("ListMFADevices", () -> iam.mfaDevices(userName));
    }

    @Override
    public List<String> accessKeyIds(String userName) {
        return timed("ListAccessKeys", () -> iam.accessKeyIds(userName));
    }

    @Override
    public void deleteAccessKey(String userName, String accessKeyId) {
        timed("DeleteAccessKey", () -> iam.deleteAccessKey(userName, accessKeyId));
    }

    @Override
    public List<String> signingCertificateIds(String userName) {
        return timed("ListSigningCertificates", () -> iam.signingCertificateIds(userName));
    }

    @Override
    public void deleteSigningCertificate(String userName, String certificateId) {
        timed("DeleteSigningCertificate", () -> iam.deleteSigningCertificate(userName, certificateId));
    }

    @Override
    public List<String> sshPublicKeyIds(String userName) {
        return timed("ListSSHPublicKeys", () -> iam.sshPublicKeyIds(userName));
    }

    @Override
    public void deleteSshPublicKey(String userName, String sshPublicKeyId) {
        timed("DeleteSSHPublicKey", () -> iam.deleteSshPublicKey(userName, sshPublicKeyId));
    }

    @Override
    public List<String> serviceSpecificCredentialIds(String userName) {
        return timed("ListServiceSpecificCredentials", () -> iam.serviceSpecificCredentialIds(userName));
    }

    @Override
    public void deleteServiceSpecificCredential(String userName, String credentialId) {
        timed("DeleteServiceSpecificCredential", () -> iam.deleteServiceSpecificCredential(userName, credentialId));
    }

    @Override
    public List<String> inlinePolicyNames(String userName) {
        return timed("ListUserPolicies", () -> iam.inlinePolicyNames(userName));
    }

    @Override
    public void deleteUserPolicy(String userName, String policyName) {
        timed("DeleteUserPolicy", () -> iam.deleteUserPolicy(userName, policyName));
    }

    @Override
    public List<String> attachedPolicyArns(String userName) {
        return timed("ListAttachedUserPolicies", () -> iam.attachedPolicyArns(userName));
    }

    @Override
    public void attachUserPolicy(String userName, String policyArn) {
        timed("AttachUserPolicy", () -> iam.attachUserPolicy(userName, policyArn));
    }

    @Override
    public void detachUserPolicy(String userName, String policyArn) {
        timed("DetachUserPolicy", () -> iam.detachUserPolicy(userName, policyArn));
    }

    @Override
    public List<String> groupsOf(String userName) {
        return timed("ListGroupsForUser", () -> iam.groupsOf(userName));
    }
}
