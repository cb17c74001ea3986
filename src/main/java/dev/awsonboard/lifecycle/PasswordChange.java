package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.PasswordPolicy;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.IamGateway;

/**
 * A user whose password must be reset at first sign-in needs iam:ChangePassword, unless the
 * account lets every user change their own password. The console grants it by attaching AWS's
 * IAMUserChangePassword policy; the API grants nothing by itself, so this step does what the
 * console does.
 */
final class PasswordChange {
    private final IamGateway iam;
    private final AccountFacts account;
    private final ProvisioningSettings settings;

    PasswordChange(IamGateway iam, AccountFacts account, ProvisioningSettings settings) {
        this.iam = iam;
        this.account = account;
        this.settings = settings;
    }

    void allow(Run run) {
        Request r = run.current();
        if (!settings.attachChangePasswordPolicy()) {
            return;
        }
        PasswordPolicy policy = run.iam.call("iam:GetAccountPasswordPolicy", "", IamRetry.Mode.TRANSIENT, account::passwordPolicy);
        if (policy.allowUsersToChangePassword()) {
            return;
        }
        String arn = ProvisioningSettings.changePasswordPolicyArn(r);
        // Attaching a policy that is already attached is no error in IAM, so a resumed run repeats it.
        run.iam.run("iam:AttachUserPolicy", "user=" + r.iamUserName() + " policy=" + arn, IamRetry.Mode.EXISTS,
                () -> iam.attachUserPolicy(r.iamUserName(), arn));
    }
}
