package dev.awsonboard.onboarding;

import dev.awsonboard.config.Secret;

import java.util.Map;
import java.util.Optional;

/**
 * The identity service of the AWS account, as the onboarding flow needs it. Every method
 * throws {@link IamException} with a domain {@link IamException.Kind} on failure; no AWS
 * type crosses this port.
 */
public interface IamGateway {

    /**
     * Creates the user under {@code path} with the given tags and, if given, the managed
     * policy ARN that bounds what the user can ever be granted.
     */
    CreatedUser createUser(String userName, String path, Map<String, String> tags, Optional<String> permissionsBoundary);

    default CreatedUser createUser(String userName, String path, Map<String, String> tags) {
        return createUser(userName, path, tags, Optional.empty());
    }

    /** The user if it exists, with its tags. */
    Optional<ExistingUser> findUser(String userName);

    void addUserToGroup(String userName, String groupName);

    /** The account password policy, or {@link PasswordPolicy#AWS_DEFAULT} when none is set. */
    PasswordPolicy passwordPolicy();

    void createLoginProfile(String userName, Secret password, boolean passwordResetRequired);

    void updateLoginProfile(String userName, Secret password, boolean passwordResetRequired);

    /** Creates a virtual MFA device; the seed is returned only here, never again. */
    VirtualMfaDevice createVirtualMfaDevice(String deviceName, String path);

    void enableMfaDevice(String userName, String serialNumber, String code1, String code2);

    void deleteVirtualMfaDevice(String serialNumber);

    /** Serials of virtual MFA devices under {@code path} that no user has. */
    java.util.List<String> unassignedVirtualMfaDevices(String path);

    // Clean-up calls: they undo a failed or expired request so no half-made user stays.

    void removeUserFromGroup(String userName, String groupName);

    void deleteLoginProfile(String userName);

    void deactivateMfaDevice(String userName, String serialNumber);

    void deleteUser(String userName);

    /** The account alias, if one is set. */
    Optional<String> accountAlias();

    record CreatedUser(String userName, String userId, String arn) {
    }

    record ExistingUser(String userName, String arn, Map<String, String> tags) {
    }

    /**
     * @param serialNumber the device ARN
     * @param base32Seed   the TOTP secret in Base32, as authenticator apps take it
     */
    record VirtualMfaDevice(String serialNumber, Secret base32Seed) {
    }
}
