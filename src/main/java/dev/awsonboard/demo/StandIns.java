package dev.awsonboard.demo;

import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;

/**
 * The demo's Slack and IAM without the bot: {@code java -cp aws-onboard.jar dev.awsonboard.demo.StandIns}
 * prints the environment (KEY=VALUE lines) that points a bot at them, then serves until stopped. CI starts
 * the image's own entrypoint against these (.ci/image); a developer can do the same with a container.
 */
public final class StandIns {
    private StandIns() {
    }

    public static void main(String[] args) throws InterruptedException {
        FakeIam iam = FakeIam.start(Clock.systemUTC(), new SecureRandom().nextLong());
        FakeSlack slack = FakeSlack.start();
        for (Demo.Person p : Demo.PEOPLE) {
            slack.addUser(p.id(), p.handle()).setLocale(p.id(), p.locale());
        }
        System.out.println("SLACK_API_URL=" + slack.apiUrl());
        System.out.println("SLACK_BOT_TOKEN=" + slack.botToken());
        System.out.println("SLACK_SIGNING_SECRET=" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
        System.out.println("ONBOARD_APPROVERS=" + String.join(",", Demo.APPROVERS));
        System.out.println("AWS_ENDPOINT_URL=" + iam.endpoint());
        System.out.println("AWS_ACCESS_KEY_ID=" + FakeIam.ACCESS_KEY_ID);
        System.out.println("AWS_SECRET_ACCESS_KEY=" + FakeIam.SECRET_ACCESS_KEY);
        System.out.println("AWS_REGION=us-east-1");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
