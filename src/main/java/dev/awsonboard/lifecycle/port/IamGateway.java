package dev.awsonboard.lifecycle.port;

import dev.awsonboard.lifecycle.model.PasswordPolicy;

import dev.awsonboard.config.Secret;

import java.util.List;
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

    /** The UserId of the user of this name, if it exists (GetUser alone: no tags). */
    Optional<String> userIdOf(String userName);

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
    List<String> unassignedVirtualMfaDevices(String path);

    // Clean-up calls: they undo a failed or expired request so no half-made user stays.

    void removeUserFromGroup(String userName, String groupName);

    void deleteLoginProfile(String userName);

    void deactivateMfaDevice(String userName, String serialNumber);

    void deleteUser(String userName);

    /** The account alias, if one is set. */
    Optional<String> accountAlias();

    // What an IAM user holds, for status, MFA resets and offboarding. Lists are complete
    // (every page read); a user that does not exist throws NO_SUCH_ENTITY.

    /** True when the user has a console password (GetLoginProfile; NoSuchEntity for the profile means false). */
    boolean hasLoginProfile(String userName);

    /** Every MFA device assigned to the user (ListMFADevices), virtual or not. */
    List<MfaDevice> mfaDevices(String userName);

    /** Access key ids (ListAccessKeys). */
    List<String> accessKeyIds(String userName);

    void deleteAccessKey(String userName, String accessKeyId);

    /** Signing certificate ids (ListSigningCertificates). */
    List<String> signingCertificateIds(String userName);

    void deleteSigningCertificate(String userName, String certificateId);

    /** SSH public key ids (ListSSHPublicKeys). */
    List<String> sshPublicKeyIds(String userName);

    void deleteSshPublicKey(String userName, String sshPublicKeyId);

    /** Service-specific credential ids, e.g. CodeCommit HTTPS passwords (ListServiceSpecificCredentials). */
    List<String> serviceSpecificCredentialIds(String userName);

    void deleteServiceSpecificCredential(String userName, String credentialId);

    /** Names of the user's inline policies (ListUserPolicies). */
    List<String> inlinePolicyNames(String userName);

    void deleteUserPolicy(String userName, String policyName);

    /** ARNs of the managed policies attached to the user (ListAttachedUserPolicies). */
    List<String> attachedPolicyArns(String userName);

    void attachUserPolicy(String userName, String policyArn);

    void detachUserPolicy(String userName, String policyArn);

    /** Names of the groups the user belongs to (ListGroupsForUser). */
    List<String> groupsOf(String userName);

    /** When the access key was last used (GetAccessKeyLastUsed); empty when never. */
    Optional<java.time.Instant> accessKeyLastUsed(String accessKeyId);

    /** Adds or overwrites tags of the user (TagUser). */
    void tagUser(String userName, Map<String, String> tags);

    /** Removes tags of the user by key (UntagUser); a key the user does not have is no error. */
    void untagUser(String userName, List<String> keys);

    // The whole account in one read (the users command, App Home, MFA coverage).

    /**
     * Asks IAM for a credential report (GenerateCredentialReport): IAM starts one unless its last is
     * less than four hours old. True when a report is ready to read now.
     */
    boolean generateCredentialReport();

    /**
     * The account's credential report, parsed (GetCredentialReport); empty when there is none, or the last
     * is over four hours old: {@link #generateCredentialReport} first. While IAM is still making it this
     * throws {@link IamException.Kind#TEMPORARILY_UNMODIFIABLE} (ReportInProgress), which is worth trying again.
     */
    Optional<dev.awsonboard.lifecycle.model.CredentialReport> credentialReport();

    /** The user's tags (ListUserTags, every page). */
    Map<String, String> tagsOf(String userName);

    record CreatedUser(String userName, String userId, String arn) {
    }

    /**
     * @param userId           IAM's stable id of the user ({@code AIDA...}): never reused, where names are
     * @param passwordLastUsed when the console password was last used to sign in, if IAM reports it
     */
    record ExistingUser(String userName, String userId, String arn, Map<String, String> tags, java.time.Instant created,
                        Optional<java.time.Instant> passwordLastUsed) {
    }

    /** An MFA device of a user; only {@link Type#VIRTUAL} ones can be deleted by the bot. */
    record MfaDevice(String serialNumber, Type type) {
        public enum Type { VIRTUAL, SECURITY_KEY, HARDWARE }

        /**
         * What a serial says about its device: virtual devices are {@code arn:...:mfa/...}, FIDO
         * security keys {@code arn:...:u2f/...}, hardware tokens a plain serial like GAHT12345678.
         */
        public static MfaDevice of(String serialNumber) {
            if (serialNumber.startsWith("arn:") && serialNumber.contains(":mfa/")) {
                return new MfaDevice(serialNumber, Type.VIRTUAL);
            }
            if (serialNumber.startsWith("arn:") && serialNumber.contains(":u2f/")) {
                return new MfaDevice(serialNumber, Type.SECURITY_KEY);
            }
            return new MfaDevice(serialNumber, Type.HARDWARE);
        }
    }

    /**
     * @param serialNumber the device ARN
     * @param base32Seed   the TOTP secret in Base32, as authenticator apps take it
     */
    record VirtualMfaDevice(String serialNumber, Secret base32Seed) {
    }
}
