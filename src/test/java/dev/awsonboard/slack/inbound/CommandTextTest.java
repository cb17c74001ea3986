package dev.awsonboard.slack.inbound;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTextTest {
    @Test
    void nameMentionGroupsAndReasonAreReadFromOneLine() {
        CommandText t = CommandText.parse("sampleUser <@U123ABC|alice> groups=developers,readonly needs the console");
        assertThat(t.help()).isFalse();
        assertThat(t.iamUserName()).contains("sampleUser");
        assertThat(t.targetUserId()).contains("U123ABC");
        assertThat(t.groups()).containsExactly("developers", "readonly");
        assertThat(t.reason()).isEqualTo("needs the console");
        assertThat(t.isComplete()).isTrue();
    }

    @Test
    void helpInAnyCommonSpellingIsHelp() {
        for (String h : new String[] {"help", "HELP", " help ", "?", "--help", "-h"}) {
            assertThat(CommandText.parse(h).help()).as(h).isTrue();
        }
    }

    @Test
    void usersIsTheVerbThatListsTheAccountsIamUsersWhateverFollows() {
        for (String u : new String[] {"users", "USERS", " users extra words"}) {
            CommandText t = CommandText.parse(u);
            assertThat(t.verb()).as(u).isEqualTo(CommandText.Verb.USERS);
            assertThat(t.verb().kind()).isEmpty();
            assertThat(t.namesSomeone()).isFalse();
        }
        assertThat(CommandText.parse("users.admin <@U123ABC>").verb()).as("a name that only starts so")
                .isEqualTo(CommandText.Verb.ONBOARD);
    }

    @Test
    void missingPartsMakeItIncompleteSoTheFormOpens() {
        assertThat(CommandText.parse("").isComplete()).isFalse();
        assertThat(CommandText.parse("sampleUser").iamUserName()).contains("sampleUser");
        assertThat(CommandText.parse("sampleUser").isComplete()).isFalse();
        CommandText onlyPerson = CommandText.parse("<@U123ABC>");
        assertThat(onlyPerson.targetUserId()).contains("U123ABC");
        assertThat(onlyPerson.iamUserName()).isEmpty();
    }

    @Test
    void anUnescapedAtNameIsNotTakenForAPerson() {
        CommandText t = CommandText.parse("sampleUser @alice");
        assertThat(t.targetUserId()).isEmpty();
        assertThat(t.iamUserName()).contains("sampleUser");
        assertThat(t.reason()).isEmpty();
    }

    @Test
    void channelAndSpecialMentionsAreNeverAPerson() {
        assertThat(CommandText.parse("sampleUser <!channel>").targetUserId()).isEmpty();
        assertThat(CommandText.parse("sampleUser <#C123|general>").targetUserId()).isEmpty();
    }

    @Test
    void aPlainAtNameWhereAPersonBelongsNamesNobodyAndIsKeptToBeSaidBack() {
        CommandText status = CommandText.parse("status @nosuchperson");
        assertThat(status.verb()).isEqualTo(CommandText.Verb.STATUS);
        assertThat(status.namesSomeone()).isFalse();
        assertThat(status.unknownWho()).contains("@nosuchperson");
        assertThat(CommandText.parse("reset-mfa @bob lost phone").unknownWho()).contains("@bob");
        assertThat(CommandText.parse("status <#C123|general>").unknownWho()).contains("<#C123|general>");
    }

    @Test
    void aMentionANameOrNothingAtAllIsNoUnknownWho() {
        for (String text : new String[] {"status", "status <@U123ABC|alice>", "status sampleUser", "reset-mfa sampleUser lost phone",
                "help", "cancel r-abc234defg", "sampleUser @alice"}) {
            assertThat(CommandText.parse(text).unknownWho()).as(text).isEmpty();
        }
    }

    @Test
    void aGrantNamesItsGroupWhoMaybeForHowLongAndWhy() {
        CommandText mine = CommandText.parse("grant admins for 2h database migration");
        assertThat(mine.verb()).isEqualTo(CommandText.Verb.GRANT);
        assertThat(mine.groups()).containsExactly("admins");
        assertThat(mine.iamUserName()).isEmpty();
        assertThat(mine.targetUserId()).isEmpty();
        assertThat(mine.grantFor()).contains(java.time.Duration.ofHours(2));
        assertThat(mine.reason()).isEqualTo("database migration");

        CommandText theirs = CommandText.parse("grant admins <@U123ABC|alice> for 1h30m");
        assertThat(theirs.targetUserId()).contains("U123ABC");
        assertThat(theirs.grantFor()).contains(java.time.Duration.ofMinutes(90));
        assertThat(theirs.reason()).isEmpty();

        CommandText byName = CommandText.parse("GRANT billing alice.smith 1d quarter close");
        assertThat(byName.iamUserName()).contains("alice.smith");
        assertThat(byName.grantFor()).contains(java.time.Duration.ofDays(1));
        assertThat(byName.reason()).isEqualTo("quarter close");
    }

    @Test
    void aGrantWithoutALengthHasNone() {
        assertThat(CommandText.parse("grant admins").grantFor()).isEmpty();
        assertThat(CommandText.parse("grant admins for ever").grantFor()).isEmpty();
        assertThat(CommandText.parse("grant").groups()).isEmpty();
        assertThat(CommandText.parse("grant admins for 0h").grantFor()).isEmpty();
    }

    @Test
    void durationsAreWrittenAsPeopleWriteThem() {
        assertThat(CommandText.duration("30m")).contains(java.time.Duration.ofMinutes(30));
        assertThat(CommandText.duration("45min")).contains(java.time.Duration.ofMinutes(45));
        assertThat(CommandText.duration("8H")).contains(java.time.Duration.ofHours(8));
        assertThat(CommandText.duration("PT4H")).contains(java.time.Duration.ofHours(4));
        assertThat(CommandText.duration("2 hours")).isEmpty();
        assertThat(CommandText.duration("-1h")).isEmpty();
    }

    @Test
    void revokeNamesTheGrant() {
        CommandText t = CommandText.parse("revoke r-abc234defg");
        assertThat(t.verb()).isEqualTo(CommandText.Verb.REVOKE);
        assertThat(t.requestId()).contains("r-abc234defg");
        assertThat(CommandText.parse("revoke").requestId()).isEmpty();
    }
}
