// Which SMTP stage a bounce format says the remote reply answered (BounceRecipient::smtp_command).
#include <gtest/gtest.h>

#include <string>

#include "bouncediag/bounce_email.h"

using namespace bouncediag;

namespace {

// A Gmail relay notice in its older plain-text form, whose remote reply ends in "(state N)".
std::string gmail_relay_notice(const std::string& reply) {
    return "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
           "To: sam@example.org\n"
           "Subject: Delivery Status Notification (Failure)\n\n"
           "This is an automatically generated Delivery Status Notification\n\n"
           "Delivery to the following recipient failed permanently:\n\n"
           "     vera@example.net\n\n"
           "Technical details of permanent failure:\n"
           "Google tried to deliver your message, but it was rejected by the recipient domain. "
           "The error that the other server returned was: " +
           reply +
           "\n\n----- Original message -----\n"
           "From: sam@example.org\nTo: vera@example.net\nSubject: hello\n\nhi\n";
}

}  // namespace

TEST(BounceStage, GmailStateNumberNamesTheCommand) {
    struct Case {
        const char* reply;
        const char* command;
    };
    const Case cases[] = {
        {"550 550 <vera@example.net>: User unknown (state 14).", "RCPT TO"},
        {"554 554 Error: no valid recipients (state 15).", "DATA"},
        {"550 550 <vera@example.net> No such user here (state 17).", "DATA"},
        {"550 550 Unknown user vera@example.net (state 18).", "DATA"},
    };
    for (const Case& c : cases) {
        BounceEmail e = read_bounce_email(gmail_relay_notice(c.reply));
        ASSERT_EQ(e.recipients.size(), 1u) << c.reply;
        EXPECT_EQ(e.recipients[0].recipient, "vera@example.net") << c.reply;
        EXPECT_EQ(e.recipients[0].smtp_command, c.command) << c.reply;
    }
}

TEST(BounceStage, OtherGmailStatesNameNoCommand) {
    // States before RCPT (TLS, AUTH, greeting) are not mapped: the reply's words decide.
    BounceEmail e =
        read_bounce_email(gmail_relay_notice("500 Remote server does not support TLS (state 6)."));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].smtp_command, "");
}

TEST(BounceStage, YahooStageLabelNamesTheCommand) {
    // Yahoo's outbound notice puts the stage in brackets after the remote reply.
    const std::string head =
        "From: MAILER-DAEMON@yahoo.example\nTo: sam@example.org\n"
        "Subject: Failure Notice\n\n"
        "Sorry, we were unable to deliver your message to the following address.\n\n"
        "<vera@example.net>:\nRemote host said:\n";
    BounceEmail e =
        read_bounce_email(head + "550 5.2.1 <vera@example.net>... User Unknown\n[RCPT_TO]\n");
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].smtp_command, "RCPT TO");
    e = read_bounce_email(head + "554 5.7.1 Message refused\n[DATA]\n");
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].smtp_command, "DATA");
}

TEST(BounceStage, StageLabelsInTheReturnedMessageDoNotCount) {
    BounceEmail e = read_bounce_email(
        "From: MAILER-DAEMON@mx.example.org\nTo: sam@example.org\n"
        "Subject: Failure Notice\n\n"
        "Sorry, we were unable to deliver your message to the following address.\n\n"
        "<vera@example.net>:\nRemote host said:\n550 5.1.1 <vera@example.net>... User Unknown\n\n"
        "--- Below this line is a copy of the message.\n\n"
        "From: sam@example.org\nTo: vera@example.net\nSubject: report\n\n"
        "Figures for (state 18) are in the sheet\n[DATA]\n");
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].smtp_command, "");
}

TEST(BounceStage, PipelinedReplyNamingTheRecipientAnsweredRcpt) {
    // Sendmail shows only ">>> DATA" of a pipelined MAIL/RCPT/DATA batch; the 550 that names the
    // recipient came before the 503 answering DATA, so it answered that recipient's RCPT TO.
    const std::string email =
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
        "To: sam@example.org\nSubject: Returned mail: see transcript for details\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
        "--b\n\n"
        "   ----- Transcript of session follows -----\n"
        "... while talking to mx.example.net.:\n>>> DATA\n"
        "<<< 550 5.1.1 <vera@example.net>... User unknown\n"
        "550 5.1.1 <vera@example.net>... User unknown\n"
        "<<< 503 5.0.0 Need RCPT (recipient)\n\n"
        "--b\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.org\n\n"
        "Final-Recipient: RFC822; vera@example.net\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: SMTP; 550 5.1.1 <vera@example.net>... User unknown\n\n--b--\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].smtp_command, "RCPT TO");
}
