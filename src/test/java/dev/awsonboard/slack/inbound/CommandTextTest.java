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
}
