// Unit tests of the bounce email reader on small hand-written bounces of each structure.
#include "bouncediag/bounce_email.h"
#include "../src/bounce_formats.h"
#include "bouncediag/classifier.h"
#include "bouncediag/diagnose.h"
#include "bouncediag/rule_table.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace bouncediag;

namespace {

std::string crlf(std::string s, const char* eol) {
    std::string out;
    for (char c : s) {
        if (c == '\n')
            out += eol;
        else
            out.push_back(c);
    }
    return out;
}

std::string read_data(const std::string& name) {
    std::ifstream in(std::string(BOUNCEDIAG_SOURCE_DIR) + "/tests/data/emails/" + name,
                     std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const char* const k_dsn =
    "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
    "To: sender@example.net\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Auto-Submitted: auto-replied\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"AB12.345/mx.example.org\"\n"
    "\n"
    "--AB12.345/mx.example.org\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "<alice@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1\n"
    "    <alice@example.com>: Recipient address rejected: User unknown (in reply to RCPT\n"
    "    TO command)\n"
    "\n"
    "--AB12.345/mx.example.org\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.org\n"
    "X-Postfix-Queue-ID: AB12\n"
    "\n"
    "Final-Recipient: rfc822; alice@example.com\n"
    "Original-Recipient: rfc822;Alice@Example.com\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Remote-MTA: dns; mx.example.com\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <alice@example.com>: Recipient address\n"
    "    rejected: User unknown\n"
    "\n"
    "Final-Recipient: rfc822; bob@example.com\n"
    "Action: delayed\n"
    "Status: 4.4.1\n"
    "Last-Attempt-Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
    "\n"
    "--AB12.345/mx.example.org\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: Sender <sender@example.net>\n"
    "To: alice@example.com, bob@example.com\n"
    "Subject: =?UTF-8?Q?Caf=C3=A9?=\n"
    "Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
    "Message-ID: <m1@example.net>\n"
    "\n"
    "hello\n"
    "--AB12.345/mx.example.org--\n";

}  // namespace

TEST(BounceEmail, ReadsRfc3464Recipients) {
    BounceEmail e = read_bounce_email(k_dsn);
    ASSERT_EQ(e.recipients.size(), 2u);
    const BounceRecipient& a = e.recipients[0];
    EXPECT_EQ(a.kind, ReportKind::bounce);
    EXPECT_EQ(a.recipient, "alice@example.com");
    EXPECT_EQ(a.original_recipient, "Alice@Example.com");
    EXPECT_EQ(a.dsn_action, "failed");
    EXPECT_EQ(a.status, "5.1.1");
    EXPECT_EQ(a.diagnostic,
              "550 5.1.1 <alice@example.com>: Recipient address rejected: User unknown");
    EXPECT_EQ(a.remote_mta, "mx.example.com");
    EXPECT_EQ(a.reporting_mta, "mx.example.org");
    EXPECT_EQ(a.queue_id, "AB12");
    EXPECT_EQ(a.format, "rfc3464");
    // The DSN does not say which command failed; the text does ("in reply to RCPT TO").
    EXPECT_EQ(a.smtp_command, "RCPT TO");
    const BounceRecipient& b = e.recipients[1];
    EXPECT_EQ(b.recipient, "bob@example.com");
    EXPECT_EQ(b.dsn_action, "delayed");
    EXPECT_EQ(b.last_attempt_date, "Mon, 1 Jan 2024 00:00:00 +0000");
    EXPECT_EQ(e.original.message_id, "<m1@example.net>");
    EXPECT_EQ(e.original.subject, "Café");
    EXPECT_EQ(e.original.to, "alice@example.com, bob@example.com");
}

TEST(BounceEmail, LineEndingsDoNotMatter) {
    for (const char* eol : {"\r\n", "\r", "\r\r\n"}) {
        BounceEmail e = read_bounce_email(crlf(k_dsn, eol));
        ASSERT_EQ(e.recipients.size(), 2u) << "line ending " << int(eol[1]);
        EXPECT_EQ(e.recipients[0].diagnostic,
                  "550 5.1.1 <alice@example.com>: Recipient address rejected: User unknown");
    }
}

TEST(BounceEmail, DsnWithoutDiagnosticTakesTheTextReply) {
    std::string email =
        "Subject: Delivery Status Notification (Failure)\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nDelivery to the following recipient failed:\n\n"
        "     carol@example.com\n\nThe error that the other server returned was:\n"
        "552 5.2.2 The email account that you tried to reach is over quota.\n\n"
        "--b\nContent-Type: message/delivery-status\n\n"
        "Final-Recipient: rfc822; carol@example.com\nAction: failed\nStatus: 5.2.2\n\n--b--\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic,
              "552 5.2.2 The email account that you tried to reach is over quota.");
}

TEST(BounceEmail, QmailFormat) {
    std::string email =
        "From: MAILER-DAEMON@mx.example.org\nSubject: failure notice\n\n"
        "Hi. This is the qmail-send program at mx.example.org.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        "<dave@example.com>:\n192.0.2.2 does not like recipient.\n"
        "Remote host said: 550 5.1.1 No such user\nGiving up on 192.0.2.2.\n\n"
        "--- Below this line is a copy of the message.\n\n"
        "Return-Path: <sender@example.net>\nTo: dave@example.com\nSubject: test\n"
        "Message-ID: <q1@example.net>\n\nbody\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "dave@example.com");
    EXPECT_EQ(e.recipients[0].diagnostic, "550 5.1.1 No such user");
    EXPECT_EQ(e.original.message_id, "<q1@example.net>");
}

TEST(BounceEmail, QmailCodeClosingTheSentenceKeepsTheSentence) {
    std::string email =
        "From: MAILER-DAEMON@mx.example.org\nSubject: failure notice\n\n"
        "Hi. This is the qmail-send program at mx.example.org.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        "<frank@example.invalid>:\n"
        "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)\n\n"
        "--- Below this line is a copy of the message.\n\n"
        "Return-Path: <sender@example.net>\nTo: frank@example.invalid\nSubject: test\n\nbody\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic,
              "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)");
}

TEST(BounceEmail, EximFormatWithSeveralRecipients) {
    std::string email =
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
        "Subject: Mail delivery failed: returning message to sender\n\n"
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  erin@example.com\n"
        "    host mx.example.com [192.0.2.3]\n"
        "    SMTP error from remote mail server after RCPT TO:<erin@example.com>:\n"
        "    550 5.1.1 <erin@example.com>: User unknown\n"
        "  frank@example.com\n"
        "    host mx.example.com [192.0.2.3]\n"
        "    SMTP error from remote mail server after RCPT TO:<frank@example.com>:\n"
        "    552 5.2.2 Mailbox full\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
        "From: sender@example.net\nTo: erin@example.com\n\nbody\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "erin@example.com");
    EXPECT_EQ(e.recipients[0].diagnostic, "550 5.1.1 <erin@example.com>: User unknown");
    EXPECT_EQ(e.recipients[1].recipient, "frank@example.com");
    EXPECT_EQ(e.recipients[1].diagnostic, "552 5.2.2 Mailbox full");
    EXPECT_EQ(e.recipients[1].smtp_command, "RCPT TO");
}

TEST(BounceEmail, SendmailTranscriptWithoutMimeHeaders) {
    std::string email =
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
        "Subject: Returned mail: see transcript for details\n\n"
        "   ----- Transcript of session follows -----\n"
        "... while talking to mx.example.com.:\n>>> RCPT To:<gina@example.com>\n"
        "<<< 550 5.7.1 <gina@example.com>... Relaying denied\n"
        "550 5.7.1 <gina@example.com>... Relaying denied\n\n"
        "Final-Recipient: RFC822; gina@example.com\nAction: failed\nStatus: 5.7.1\n\n"
        "Return-Path: <sender@example.net>\nTo: gina@example.com\n\nbody\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "gina@example.com");
    EXPECT_EQ(e.recipients[0].status, "5.7.1");
}

TEST(BounceEmail, RecipientNamedOnlyInTheReturnedMessage) {
    std::string email =
        "From: MAILER-DAEMON@old.example.org\nSubject: Returned mail: Deferred\n\n"
        "   ----- Transcript of session follows -----\n"
        "421 example.com (smtp)... Deferred: Connection timed out\n\n"
        "   ----- Unsent message follows -----\n"
        "Received: by old.example.org; id 1\nFrom: sender@example.net\nTo: hank@example.com\n"
        "Subject: hi\n\nbody\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "hank@example.com");
    EXPECT_EQ(e.recipients[0].diagnostic,
              "421 example.com (smtp)... Deferred: Connection timed out");
}

TEST(BounceEmail, ExchangeStyleTextWithBase64AndCharset) {
    // "Delivery has failed to these recipients or groups:" in ISO-8859-1, base64-encoded.
    std::string email = read_data("exchange-latin1.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "ivan@example.com");
    EXPECT_NE(e.recipients[0].diagnostic.find("550 5.1.1 RESOLVER.ADR.RecipNotFound"),
              std::string::npos);
}

// Text-only reports of one failed recipient: the file, whom it names and the reply it quotes.
struct OneRecipientReport {
    const char* name;
    const char* file;
    const char* recipient;
    const char* diagnostic;
    const char* command = nullptr;  // the SMTP command the reply answered, when checked
};

class OneRecipientReports : public testing::TestWithParam<OneRecipientReport> {};

TEST_P(OneRecipientReports, NameTheRecipientAndQuoteTheReply) {
    const OneRecipientReport& c = GetParam();
    std::string email = read_data(c.file);
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, c.recipient);
    EXPECT_EQ(e.recipients[0].diagnostic, c.diagnostic);
    if (c.command) {
        EXPECT_EQ(e.recipients[0].smtp_command, c.command);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Formats, OneRecipientReports,
    testing::Values(
        // "#550 5.1.1 ... ##": the '#' opens the reply and "##" closes it.
        OneRecipientReport{"ExchangeNdrInFrenchWithoutADsnPart", "exchange-fr-no-dsn.eml",
                           "paul.durand@client.example",
                           "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"},
        // Timestamped "--> RCPT To:<a@b>" / "<-- 550 ..." lines, closed by
        // "--- End Transcript ---".
        OneRecipientReport{
            "MdaemonSessionTranscript", "mdaemon-transcript.eml", "nora@remote.example",
            "550 5.1.1 <nora@remote.example>: Recipient address rejected: User unknown in "
            "local recipient table"},
        // "Failed to deliver to '<a@b>'", then the module's report and the host's reply.
        OneRecipientReport{
            "CommuniGateProFailedToDeliver", "communigate-pro.eml", "peter@remote.example",
            "550 5.1.1 <peter@remote.example>: Recipient address rejected: User unknown"},
        // "Sent <<< RCPT TO:<a@b>" and "Received >>> 550 ...": the arrows point the other way.
        OneRecipientReport{"InterScanTranscriptArrows", "interscan-transcript.eml",
                           "max@remote.example", "550 5.1.1 <max@remote.example>... User unknown"},
        // "Your message wasn't delivered to a@b because ..."
        OneRecipientReport{
            "GmailAddressNotFoundWithoutADsnPart", "gmail-address-not-found-text-only.eml",
            "peggy@example.com",
            "550 5.1.1 <peggy@example.com>: Recipient address rejected: User unknown in "
            "virtual alias table"},
        // Neither the sender ("Microsoft Outlook <MicrosoftExchange...@...>") nor any English
        // wording says this is a report: the localized subject ("Non recapitabile:") and intro
        // ("Recapito non riuscito per i destinatari o gruppi seguenti:") do.
        OneRecipientReport{"ExchangeNdrInItalianFromAnUnnamedSender", "exchange-it-no-dsn.eml",
                           "ana.it@remote.example",
                           "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"},
        // MDaemon's transcript ends the data with "--> ." and the reply answers it.
        OneRecipientReport{"MdaemonTranscriptEndOfData", "mdaemon-transcript-end-of-data.eml",
                           "jack@remote.example",
                           "554 5.7.1 Message rejected: virus found in attachment", "DATA"},
        // "Sent <<< ." then "Received >>> 550 ...": the 250 to the recipient's RCPT TO is no
        // failure.
        OneRecipientReport{"InterScanTranscriptEndOfData", "interscan-transcript-end-of-data.eml",
                           "kate@remote.example", "550 5.7.1 Message rejected by content policy",
                           "DATA"},
        // "hMailServer sent: ." (CRLF line ends), then "Remote server replied: 554 ...".
        OneRecipientReport{"HmailserverSentEndOfData", "hmailserver-end-of-data-crlf.eml",
                           "liam@remote.example", "554 5.7.1 Rejected due to spam content", "DATA"},
        // The quote that opened the reply closes it; the German sentence goes on after it.
        OneRecipientReport{"ExchangeNdrInGermanQuotedReply", "exchange-de-no-dsn-quoted-reply.eml",
                           "hans.mueller@kunde.example",
                           "550 5.1.1 <hans.mueller@kunde.example>: Recipient address rejected: "
                           "User unknown"},
        // Exchange 2003 names the recipient by display name only; the returned message's To:
        // lists two, and the one whose name the report shows failed.
        OneRecipientReport{"Exchange2003DisplayNameAmongTwoRecipients",
                           "exchange2003-display-name-two-to.eml", "bob@remote.example",
                           "The e-mail account does not exist at the organization this message "
                           "was sent to. <ex2003.example.org #5.1.1>"},
        // Chinese curly quotes enclose the reply.
        OneRecipientReport{"ExchangeNdrInChineseCurlyQuotes", "exchange-zh-no-dsn.eml",
                           "wang@kehu.example.cn", "550 5.1.1 User unknown"},
        // Only the Swedish subject and intro say this is a report.
        OneRecipientReport{"ExchangeNdrInSwedishFromAnUnnamedSender", "exchange-sv-no-dsn.eml",
                           "sven@kund.example.se", "550 5.2.1 Mailbox disabled"},
        // "收件人：a@b": the full-width colon is no part of the address (GB18030, base64).
        OneRecipientReport{"FullWidthColonBeforeTheAddress", "cjk-fullwidth-colon-gb18030.eml",
                           "sam.wu@remote.example",
                           "550 5.1.1 <sam.wu@remote.example>: Recipient address rejected: User "
                           "unknown"},
        // "收件人： a@b": a Chinese recipient label.
        OneRecipientReport{"ChineseRecipientLabel", "cjk-labelled-recipient.eml",
                           "tina.li@remote.example", "550 Mailbox not found or access denied"},
        // Sun/Oracle Messaging Server: the reply ends before the "Remote system:" label; the
        // "To:" summary of the returned message names a recipient that did not fail.
        OneRecipientReport{"SunMessagingServerLabelledFields", "sun-messaging-server-no-dsn.eml",
                           "pia@remote.example",
                           "550 5.1.1 unknown or illegal alias: pia@remote.example"},
        // The failed address is listed twice (Russian, then an English copy); the advice and
        // the English preamble between the lists are no part of its reason.
        OneRecipientReport{"EximListTwiceWithAdviceBetween", "exim-list-twice-with-advice.eml",
                           "zoe@remote.example", "Unrouteable address"},
        // MailEnable: "Recipient: [SMTP:a@b]", the reason on the next line (CRLF).
        OneRecipientReport{"MailEnableSmtpBracketRecipient", "mailenable-smtp-bracket-crlf.eml",
                           "axel@remote.example",
                           "550 5.1.1 <axel@remote.example>: Recipient address rejected: User "
                           "unknown"},
        // "|---- Message text follows: ----|" (framed in pipes) starts the returned message.
        OneRecipientReport{"PipeFramedFailedAddresses", "pipe-framed-failed-addresses.eml",
                           "lars@remote.example", "unknown user / Empfaenger unbekannt"},
        // Office 365's "Error Details": the reply ends before "DSN generated by:".
        OneRecipientReport{"Office365ReportedErrorEndsBeforeTheNextLabel",
                           "office365-reported-error-then-labels.eml", "kim.lee@partner.example",
                           "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient "
                           "kim.lee@partner.example not found by SMTP address lookup"}),
    [](const testing::TestParamInfo<OneRecipientReport>& param) {
        return std::string(param.param.name);
    });

TEST(BounceEmail, PostfixNamesTheStageOfLostConnectionsAndTimeouts) {
    // "while sending end of data", "while sending RCPT TO", "connect to host[ip]:25: ...".
    std::string email = read_data("postfix-lost-connection-end-of-data.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 3u);
    EXPECT_EQ(e.recipients[0].recipient, "hal@remote.example");
    EXPECT_EQ(e.recipients[0].smtp_command, "DATA");
    EXPECT_EQ(e.recipients[1].recipient, "ivy@remote.example");
    EXPECT_EQ(e.recipients[1].smtp_command, "RCPT TO");
    EXPECT_EQ(e.recipients[2].recipient, "oli@remote.example");
    EXPECT_EQ(e.recipients[2].smtp_command, "CONNECT");
}

TEST(BounceEmail, ConnectWordingWrappedOverTwoLines) {
    std::string email =
        "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
        "Subject: Delayed Mail (still being retried)\n\n"
        "This is the mail system at host mx.example.org.\n\n"
        "<walt@remote.example>: delivery temporarily suspended: connect to\n"
        "    mx.remote.example[192.0.2.92]:25: Connection refused\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].smtp_command, "CONNECT");
    EXPECT_EQ(e.recipients[0].dsn_action, "delayed");
}

TEST(BounceEmail, InternationalizedAddressInTheText) {
    // SMTPUTF8: a non-ASCII domain is an address like any other; CJK text right after an ASCII
    // domain is not part of it.
    std::string email =
        "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "This is the mail system at host mx.example.org.\n\n"
        "<用户@例子.example>: host mx.例子.example[192.0.2.100] said: 550 5.1.1 User\n"
        "    unknown (in reply to RCPT TO command)\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "用户@例子.example");
    EXPECT_EQ(e.recipients[0].smtp_command, "RCPT TO");
    EXPECT_EQ(detail::clean_address("bob@example.com的邮件"), "bob@example.com");
    EXPECT_EQ(detail::clean_address("用户@例子.example"), "用户@例子.example");
}

TEST(BounceEmail, SeparatorLinesFrameTheReasonAndMayOpenTheReturnedHeaders) {
    // A line of dashes right before the returned message's headers (no blank line) ends the
    // report; separator lines around a reason are none of its words.
    std::string email =
        "From: MAILER-DAEMON@mx.example.org\nSubject: Mail System Error - Returned Mail\n\n"
        "<rita@remote.example>\n\n"
        "Each of the following recipients was rejected by a remote mail server.\n"
        "----------------------------------------\n"
        "Received: from mx.example.org (mx.example.org [192.0.2.1])\n"
        "        by mx.remote.example with SMTP id 12AB\n"
        "From: sender@example.org\nTo: rita@remote.example\nSubject: report\n"
        "Message-Id: <s1@example.org>\n\nbody\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "rita@remote.example");
    EXPECT_EQ(e.recipients[0].diagnostic,
              "Each of the following recipients was rejected by a remote mail server.");
}

TEST(BounceEmail, SendmailExpandedFromIsNoPartOfTheReason) {
    std::string email =
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
        "Subject: Returned mail: see transcript for details\n\n"
        "   ----- The following addresses had permanent fatal errors -----\n"
        "<lena@remote.example>\n"
        "    (reason: 550 5.7.1 <lena@remote.example>... Relaying denied)\n"
        "    (expanded from: <team@example.org>)\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "550 5.7.1 <lena@remote.example>... Relaying denied");
}

TEST(BounceEmail, OutlookClientReportClosesTheReplyBeforeSmtpMark) {
    // Outlook's own report quotes Exchange's reply as "#< #5.1.1 smtp;550 ...> #SMTP#".
    std::string email =
        "From: Microsoft Outlook <sender@example.org>\nSubject: Undeliverable: report\n\n"
        "Your message did not reach some or all of the intended recipients.\n\n"
        "The following recipient(s) cannot be reached:\n\n"
        "      'sara.s@remote.example' on 15.03.2024 09:58\n"
        "            #< #5.1.1 smtp;550 5.1.1 <sara.s@remote.example>: User unknown> #SMTP#\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic,
              "5.1.1 smtp;550 5.1.1 <sara.s@remote.example>: User unknown");
}

TEST(BounceEmail, Exchange2003DisplayNameAmongAddresses) {
    // One recipient listed by address, one by display name and date: the returned message's
    // To: says whose name it is; the third recipient of the To: field did not fail.
    std::string email = read_data("exchange2003-name-and-address.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "tom.t@remote.example");
    EXPECT_EQ(e.recipients[1].recipient, "peter@remote.example");
    EXPECT_EQ(e.recipients[1].diagnostic,
              "The e-mail account does not exist at the organization this message was sent to. "
              "<ex2003.example.org #5.1.1>");
}

TEST(BounceEmail, XFailedRecipientsAloneKeepsTheStatedCommand) {
    // The text lists no recipient; the header names the one, the text the command.
    std::string email =
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
        "Subject: Mail delivery failed: returning message to sender\n"
        "X-Failed-Recipients: vera@remote.example\n\n"
        "A message that you sent could not be delivered. This is a permanent error.\n\n"
        "SMTP error from remote mail server after RCPT TO:\n"
        "550 5.1.1 The email account that you tried to reach does not exist.\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "vera@remote.example");
    EXPECT_EQ(e.recipients[0].smtp_command, "RCPT TO");
}

TEST(BounceEmail, DateAfterTheAddressIsNoPartOfTheReason) {
    // Exchange 5.5 and 2000: "a@b on DATE" over the reason.
    std::string email =
        "From: System Administrator <postmaster@example.org>\nSubject: Undeliverable: report\n\n"
        "Your message\n\n  Subject: report\n\ndid not reach the following recipient(s):\n\n"
        "una@remote.example on Thu, 29 Apr 2007 16:51:51 -0500\n"
        "    The recipient name is not recognized\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "una@remote.example");
    EXPECT_EQ(e.recipients[0].diagnostic, "The recipient name is not recognized");
}

TEST(BounceEmail, EximClosedConnectionInResponseToEndOfData) {
    std::string email =
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
        "Subject: Mail delivery failed: returning message to sender\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  olga@remote.example\n"
        "    host mx.remote.example [192.0.2.5]: Remote host closed connection in response to "
        "end of data\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].smtp_command, "DATA");
}

TEST(BounceEmail, PipelinedTranscriptReplyQuotedForARecipient) {
    // Two RCPT TO replies before the 503 to DATA, neither naming its recipient: the reply the
    // report quotes for each recipient says which one it was.
    std::string email =
        "From: MAILER-DAEMON@mx.example.org\nSubject: Returned mail: see transcript for details\n\n"
        "   ----- The following addresses had permanent fatal errors -----\n"
        "<bea@remote.example>\n    (reason: 550 5.1.1 User unknown)\n"
        "<cal@remote.example>\n    (reason: 552 5.2.2 Mailbox full)\n\n"
        "   ----- Transcript of session follows -----\n"
        "... while talking to mx.remote.example.:\n>>> DATA\n<<< 550 5.1.1 User unknown\n"
        "<<< 552 5.2.2 Mailbox full\n<<< 503 5.0.0 Need RCPT (recipient)\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[1].recipient, "cal@remote.example");
    EXPECT_EQ(e.recipients[1].diagnostic, "552 5.2.2 Mailbox full");
    EXPECT_EQ(e.recipients[1].smtp_command, "RCPT TO");
}

TEST(BounceEmail, PostfixWrappedMultilineReplyKeepsItsContinuationLines) {
    // Postfix joins the lines of a multi-line reply and wraps the result anywhere: a wrapped
    // line starting with "550-5.7.26" continues the reply, it is not a new one.
    std::string email =
        "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
        "Subject: Undelivered Mail Returned to Sender\n\n"
        "This is the mail system at host mx.example.org.\n\n"
        "<info@example.org> (expanded from <sales@example.org>): host\n"
        "    mx.remote.example[192.0.2.84] said: 550-5.7.26 This mail has been blocked\n"
        "    because the sender is unauthenticated. Gmail requires all senders to\n"
        "    550-5.7.26 authenticate with either SPF or DKIM. 550 5.7.26 Authentication\n"
        "    results: dkim = did not pass (in reply to end of DATA command)\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic,
              "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail "
              "requires all senders to 550-5.7.26 authenticate with either SPF or DKIM. 550 "
              "5.7.26 Authentication results: dkim = did not pass (in reply to end of DATA "
              "command)");
    EXPECT_EQ(e.recipients[0].smtp_command, "DATA");
}

TEST(BounceEmail, DelayWarningWithoutADsnPartIsDelayed) {
    // Exchange's "Delivery is delayed to these recipients or groups:", no DSN part: the
    // recipient is read, and the wording says delivery is still being tried.
    std::string email = read_data("exchange-delayed-no-dsn.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "jon@remote.example");
    EXPECT_EQ(e.recipients[0].diagnostic,
              "451 4.4.0 Primary target IP address responded with: \"421 4.7.0 Try again "
              "later.\"");
    EXPECT_EQ(e.recipients[0].dsn_action, "delayed");
    // The quoted reply ends with its quote: the attempt history after it is not part of it.
    std::string with_history = email;
    with_history.replace(with_history.find("Server at"), 0,
                         "Server at mx.remote.example (192.0.2.81) returned '400 4.4.7 Message "
                         "delayed'\n");
    e = read_bounce_email(with_history);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "400 4.4.7 Message delayed");
    // A shop's "Delivery delayed" subject alone makes no report of a plain email.
    std::string shop =
        "From: Shop <orders@shop.example>\nSubject: Delivery delayed: your order 1234\n\n"
        "Your parcel is late. Questions? Write to\nsupport@shop.example\n";
    EXPECT_TRUE(read_bounce_email(shop).recipients.empty());
    // Nor does the wording alone, quoted in a plain email.
    std::string quoted =
        "From: News <news@list.example>\nSubject: Our March newsletter\n\n"
        "Delivery is delayed to these recipients or groups of our partners:\n"
        "partner@list.example\n";
    EXPECT_TRUE(read_bounce_email(quoted).recipients.empty());
}

TEST(BounceEmail, EximFileDeliveryGeneratedByAnotherAddressIsAnEntryOfItsOwn) {
    // "  save to PATH" / "    generated by vic@..." after another failed address: the file
    // delivery is vic's, with its own reason.
    std::string email = read_data("exim-generated-file-among-others.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "uma@example.org");
    EXPECT_EQ(e.recipients[0].diagnostic, "mailbox is full: retry timeout exceeded");
    EXPECT_EQ(e.recipients[1].recipient, "vic@example.org");
    EXPECT_EQ(e.recipients[1].diagnostic,
              "failed to open /home/vic/mail/archive: Permission denied");
}

TEST(BounceEmail, HashBeforeANumberOpensNoReplyWithoutAnEnhancedCode) {
    std::string email =
        "From: MAILER-DAEMON@mx.example.org\nSubject: Undeliverable: x\n\n"
        "Delivery has failed to these recipients or groups:\n\namy@remote.example\n"
        "See ticket #550 for details.\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found");
}

TEST(BounceEmail, ExchangeNdrQuotingTheRemoteReplies) {
    // Each recipient is named twice (the user's list, the administrators' list); the quote
    // around "Remote Server returned '...'" is no part of the reply. CRLF line ends.
    std::string email = read_data("exchange2016-two-recipients-crlf.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "mike.jones@partner.example");
    EXPECT_EQ(e.recipients[0].diagnostic,
              "550 5.1.1 <mike.jones@partner.example>: Recipient address rejected: User unknown "
              "in virtual mailbox table");
    EXPECT_EQ(e.recipients[1].recipient, "nina.smith@partner.example");
    EXPECT_EQ(e.recipients[1].diagnostic, "552 5.2.2 <nina.smith@partner.example>: Mailbox full");
}

TEST(BounceEmail, Exchange2003QuotesAnAddressTypedInFull) {
    // "'a@b' on DATE"; a recipient named by display name only ("Tina Lee on ...") has no
    // address to report.
    std::string email = read_data("exchange2003-quoted-address.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "sam@old.example.com");
    // "<host #5.1.1>" alone: the explanation before it is the reason.
    EXPECT_TRUE(e.recipients[0].diagnostic.starts_with(
        "The e-mail account does not exist at the organization"))
        << e.recipients[0].diagnostic;
    EXPECT_NE(e.recipients[0].diagnostic.find("#5.1.1>"), std::string::npos);
}

TEST(BounceEmail, Exchange2003QuotesTheRemoteReplyInsideAngleBrackets) {
    // "<host #5.1.1 smtp;550 5.1.1 <a@b>... User unknown>": the last '>' closes the quote.
    std::string email = read_data("exchange2003-smtp-replies.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "dina@remote.example");
    EXPECT_EQ(e.recipients[0].diagnostic,
              "5.1.1 smtp;550 5.1.1 <dina@remote.example>... User unknown");
    EXPECT_EQ(e.recipients[1].recipient, "eli@remote.example");
    EXPECT_EQ(e.recipients[1].diagnostic, "5.2.2 smtp;552 5.2.2 Mailbox full");
}

TEST(BounceEmail, GroupWiseReasonInParentheses) {
    // "a@b (reason)": the paragraph of advice after the list is no part of the last reason.
    std::string email = read_data("groupwise.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "erik@gw.example.com");
    EXPECT_EQ(e.recipients[0].diagnostic, "(user not found)");
    EXPECT_EQ(e.recipients[1].recipient, "fred@gw.example.com");
    EXPECT_EQ(e.recipients[1].diagnostic, "(Mailbox Full)");
}

TEST(BounceEmail, ReadReceiptIsNoBounce) {
    // RFC 8098: its "Final-Recipient:" is the reader, whose mail was delivered.
    std::string email = read_data("mdn-read-receipt.eml");
    ASSERT_FALSE(email.empty());
    EXPECT_TRUE(read_bounce_email(email).recipients.empty());
}

TEST(BounceEmail, RejectionMdnIsAFailure) {
    // Dovecot (a full mailbox, a Sieve "reject") refuses with an MDN: "...; deleted",
    // "Auto-Submitted: auto-replied (rejected)". The reason follows the announcing line.
    std::string email = read_data("dovecot-rejection-mdn.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "sam@hosted.example");
    EXPECT_EQ(e.recipients[0].diagnostic, "Quota exceeded (mailbox for user is full)");
    // Cyrus titles it "Automatically rejected mail" and introduces the reason differently.
    std::string cyrus = email;
    cyrus.replace(cyrus.find("Rejected: report"), 16, "Automatically rejected mail");
    cyrus.replace(cyrus.find("Your message to <sam@hosted.example> was automatically rejected:"),
                  64,
                  "Your message was automatically rejected by Sieve, a mail\n"
                  "filtering language.\n\nThe following reason was given:");
    e = read_bounce_email(cyrus);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "Quota exceeded (mailbox for user is full)");
    // Outlook's "deleted without being read" notice has the same disposition but is no
    // rejection: the message was delivered.
    std::string not_read =
        "From: Hank <hank@remote.example>\nSubject: Not read: Proposal\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=disposition-notification; boundary=R\n\n"
        "--R\nContent-Type: text/plain\n\nYour message was deleted without being read.\n\n"
        "--R\nContent-Type: message/disposition-notification\n\n"
        "Final-Recipient: rfc822;hank@remote.example\n"
        "Disposition: automatic-action/MDN-sent-automatically; deleted\n\n--R--\n";
    EXPECT_TRUE(read_bounce_email(not_read).recipients.empty());
}

TEST(BounceEmail, Office365HtmlOnlyTakesTheReportedErrorOverTheStatusCode) {
    // "Status code: 550 5.1.1" sums up the reply that "Reported error:" quotes in full.
    std::string email = read_data("office365-html-only.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "dave@remote.example");
    EXPECT_TRUE(e.recipients[0].diagnostic.starts_with(
        "550 5.1.1 <dave@remote.example>: Recipient address rejected: User unknown in relay "
        "recipient table"))
        << e.recipients[0].diagnostic;
}

TEST(BounceEmail, DominoRecipientsShareTheReasonAfterTheList) {
    std::string email = read_data("domino-shared-reason.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "mona@notes.example.com");
    EXPECT_EQ(e.recipients[1].recipient, "ned@notes.example.com");
    for (const BounceRecipient& r : e.recipients)
        EXPECT_EQ(r.diagnostic, "User not listed in Domino Directory");
}

TEST(BounceEmail, TextOfTheOneFailureIsNotLentToDeliveredOrDelayedRecipients) {
    // The text names only the failed recipient; the delivered one ("250 2.0.0 Ok") and the
    // delayed one (a reply without an SMTP code) keep their own Diagnostic-Code.
    std::string email = read_data("postfix-failed-delivered-delayed.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 3u);
    EXPECT_EQ(e.recipients[0].diagnostic,
              "550 5.1.1 <ann@remote.example>: Recipient address rejected: User unknown");
    EXPECT_EQ(e.recipients[1].recipient, "ben@remote.example");
    EXPECT_EQ(e.recipients[1].diagnostic, "250 2.0.0 Ok");
    EXPECT_EQ(e.recipients[2].recipient, "cat@slow.example");
    EXPECT_EQ(e.recipients[2].diagnostic,
              "connect to mx.slow.example[192.0.2.10]:25: Connection refused");
}

TEST(BounceEmail, InlineDsnFieldsWithoutADiagnosticTakeTheQuotedReply) {
    // DSN fields printed in the text give only "Status: 5.0.0"; the sentence naming the
    // recipient is followed by the remote server's reply.
    std::string email = read_data("undeliverable-inline-dsn-fields.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "hal@remote.example");
    EXPECT_NE(e.recipients[0].diagnostic.find("550-'5.1.1 <hal@remote.example>: Recipient "
                                              "address rejected: User unknown"),
              std::string::npos)
        << e.recipients[0].diagnostic;
}

TEST(BounceEmail, MultiLineReplyOpenedAfterTheMtasOwnWords) {
    // "Remote host said: 550-5.7.26 ..." opens a multi-line reply whose next lines start with
    // their own code.
    std::string email = read_data("qmail-multiline-reply.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_TRUE(e.recipients[0].diagnostic.ends_with(
        "550 5.7.26 DKIM checks did not pass and SPF check for [example.org] did not pass - "
        "gsmtp"))
        << e.recipients[0].diagnostic;
}

TEST(BounceEmail, XFailedRecipientsNamesTheRecipientsTheTextDoesNot) {
    // A customised Exim template that lists no address and returns no message.
    std::string email = read_data("exim-x-failed-recipients-only.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "olive@remote.example");
    EXPECT_EQ(e.recipients[0].format, "x-failed-recipients");
    EXPECT_NE(e.recipients[0].diagnostic.find("550 5.1.1 The email account"), std::string::npos)
        << e.recipients[0].diagnostic;
}

TEST(BounceEmail, ExchangeDisplayNameLinesKeepTheRecipientsInOrder) {
    // "Rob Stone (rob.stone@remote.example)<mailto:...>" introduces the first recipient; the
    // bare addresses of the administrators' section follow. Results come in list order.
    std::string email = read_data("exchange-display-name-lines.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "rob.stone@remote.example");
    EXPECT_EQ(e.recipients[0].diagnostic, "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found");
    EXPECT_EQ(e.recipients[1].recipient, "sue@remote.example");
}

TEST(BounceEmail, ReasonEndingWithTheListedAddressIsNoNewRecipientLine) {
    std::string email =
        "From: postmaster@example.com\nSubject: Undeliverable\n\n"
        "The following address failed:\nkim@example.com\n\n"
        "Server message:\nunknown user <kim@example.com>\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "Server message: unknown user <kim@example.com>");
}

TEST(BounceEmail, EximNamesTheHostOnItsOwnLineAndTheCommandAfterFor) {
    // "host mx [ip]" alone on a line, then "SMTP error from remote server for RCPT TO command,
    // host: ... reason: 550 ...".
    std::string email = read_data("exim-remote-server-for-command.eml");
    ASSERT_FALSE(email.empty());
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "yuri@remote.example");
    EXPECT_EQ(e.recipients[0].smtp_command, "RCPT TO");
    EXPECT_EQ(e.recipients[0].remote_mta, "mx.remote.example");
    EXPECT_EQ(e.recipients[1].remote_mta, "mx.remote.example");
}

TEST(BounceEmail, ArfFeedbackReport) {
    std::string email =
        "From: fbl@isp.example\nSubject: abuse report\n"
        "Content-Type: multipart/report; report-type=feedback-report; boundary=f\n\n"
        "--f\nContent-Type: text/plain\n\nThis is an abuse report.\n"
        "--f\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n"
        "User-Agent: fbl/1.0\nVersion: 1\nOriginal-Rcpt-To: judy@isp.example\n"
        "Original-Rcpt-To: kim@isp.example\n"
        "--f\nContent-Type: message/rfc822\n\nFrom: sender@example.net\nTo: judy@isp.example\n"
        "Message-ID: <arf@example.net>\n\nspam\n--f--\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].kind, ReportKind::feedback);
    EXPECT_EQ(e.recipients[0].feedback_type, "abuse");
    EXPECT_EQ(e.recipients[0].recipient, "judy@isp.example");
    EXPECT_EQ(e.recipients[1].recipient, "kim@isp.example");
    EXPECT_EQ(e.original.message_id, "<arf@example.net>");
}

TEST(BounceEmail, AutoReplies) {
    BounceEmail e = read_bounce_email(
        "From: Lee <lee@example.com>\nTo: sender@example.net\nSubject: Re: hello\n"
        "Auto-Submitted: auto-replied\n\nI am out of the office until Monday.\n");
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].kind, ReportKind::vacation);
    EXPECT_EQ(e.recipients[0].recipient, "lee@example.com");

    BounceEmail de = read_bounce_email(
        "From: mia@example.de\nSubject: Abwesenheitsnotiz: Termin\n\nIch bin nicht im Büro.\n");
    ASSERT_EQ(de.recipients.size(), 1u);
    EXPECT_EQ(de.recipients[0].kind, ReportKind::vacation);
}

TEST(BounceEmail, PlainMailIsNotABounce) {
    BounceEmail e = read_bounce_email(
        "From: ned@example.com\nTo: olga@example.com\nSubject: lunch\n\n"
        "Hi Olga,\nolga@example.com: are you free at noon?\nNed\n");
    EXPECT_TRUE(e.recipients.empty());
}

TEST(BounceEmail, AmazonSesJsonNotification) {
    std::string email =
        "From: no-reply@sns.amazonaws.com\nSubject: AWS Notification Message\n\n"
        "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\","
        "\"bouncedRecipients\":[{\"emailAddress\":\"pat@example.com\",\"action\":\"failed\","
        "\"status\":\"5.1.1\",\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"}],\n"
        " \"reportingMTA\":\"dsn; a1.smtp-out.amazonses.com\"},\"mail\":{}}\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "pat@example.com");
    EXPECT_EQ(e.recipients[0].diagnostic, "550 5.1.1 user unknown");
    EXPECT_EQ(e.recipients[0].status, "5.1.1");
}

TEST(BounceEmail, ReportsInsideTheReturnedMessageAreIgnored) {
    std::string inner =
        "Content-Type: multipart/report; report-type=delivery-status; boundary=in\n\n"
        "--in\nContent-Type: message/delivery-status\n\n"
        "Final-Recipient: rfc822; old@example.com\nAction: failed\nStatus: 5.0.0\n--in--\n";
    std::string email =
        "Subject: Returned mail\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=out\n\n"
        "--out\nContent-Type: message/delivery-status\n\n"
        "Final-Recipient: rfc822; new@example.com\nAction: failed\nStatus: 5.1.1\n"
        "--out\nContent-Type: message/rfc822\n\n" +
        inner + "--out--\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "new@example.com");
}

TEST(BounceEmail, MalformedInputNeverThrows) {
    std::string dsn = k_dsn;
    for (std::size_t cut = 0; cut < dsn.size(); cut += 7)
        EXPECT_NO_THROW(read_bounce_email(std::string_view(dsn).substr(0, cut)));
    EXPECT_TRUE(read_bounce_email("").recipients.empty());
    EXPECT_NO_THROW(read_bounce_email(std::string(5000, '\0')));
    std::string nested;
    for (int i = 0; i < 1000; ++i) nested += "Content-Type: message/rfc822\n\n";
    EXPECT_NO_THROW(read_bounce_email(nested));
    std::string big =
        "Content-Type: multipart/mixed; boundary=z\n\n--z\n"
        "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" +
        std::string(20 << 20, 'A') + "\n--z--\n";
    EXPECT_TRUE(read_bounce_email(big).recipients.empty());
}

TEST(BounceEmail, BounceForwardedAsAttachment) {
    std::string email =
        "From: user@example.net\nSubject: Fwd: failure\n"
        "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: text/plain\n\n"
        "See below, what does this mean?\n--o\nContent-Type: message/rfc822\n\n" +
        std::string(k_dsn) + "--o--\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "alice@example.com");
}

TEST(BounceEmail, BounceForwardedInlineWithQuoting) {
    std::string email =
        "From: user@example.net\nSubject: Fwd: Returned mail\n\nBegin forwarded message:\n\n"
        "> From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
        "> Subject: Returned mail: see transcript for details\n>\n"
        ">    ----- The following addresses had permanent fatal errors -----\n"
        "> <quinn@example.com>\n>     (reason: 550 5.1.1 User unknown)\n>\n"
        "> Return-Path: <user@example.net>\n> Received: by mx.example.org; id 2\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "quinn@example.com");
    EXPECT_EQ(e.recipients[0].diagnostic, "550 5.1.1 User unknown");
}

TEST(BounceEmail, UndeclaredIso2022JpAndNearbyText) {
    // A DSN without Diagnostic-Code whose text names the recipient in a sentence, in
    // ISO-2022-JP without a charset parameter.
    std::string email =
        "Subject: Delivery failure\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=j\n\n"
        "--j\nContent-Type: text/plain\n\n"
        "\x1b$B%f!<%6!<\x1b(B rita@example.jp \x1b$B$O8+$D$+$j$^$;$s\x1b(B\n\n"
        "--j\nContent-Type: message/delivery-status\n\n"
        "Final-Recipient: rfc822; rita@example.jp\nAction: failed\nStatus: 5.1.1\n--j--\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "ユーザー rita@example.jp は見つかりません");
}

TEST(BounceEmail, EximLocalRecipientAndComplaintForward) {
    BounceEmail exim = read_bounce_email(
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
        "Subject: Mail delivery failed: returning message to sender\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  sam\n    mailbox is full: retry timeout exceeded\n");
    ASSERT_EQ(exim.recipients.size(), 1u);
    EXPECT_EQ(exim.recipients[0].recipient, "sam");
    EXPECT_EQ(exim.recipients[0].diagnostic, "mailbox is full: retry timeout exceeded");

    BounceEmail fbl = read_bounce_email(
        "From: staff@mail.example\nSubject: complaint about message from 192.0.2.1\n"
        "Content-Type: multipart/mixed; boundary=c\n\n--c\nContent-Type: message/rfc822\n\n"
        "X-HmXmrOriginalRecipient: tom@mail.example\nTo: tom@mail.example\n"
        "Message-ID: <c1@example.net>\n\nbuy now\n--c--\n");
    ASSERT_EQ(fbl.recipients.size(), 1u);
    EXPECT_EQ(fbl.recipients[0].kind, ReportKind::feedback);
    EXPECT_EQ(fbl.recipients[0].recipient, "tom@mail.example");
}

TEST(BounceEmail, SendmailServerReplyPrecedesTheSummaryLine) {
    BounceEmail e = read_bounce_email(
        "From: MAILER-DAEMON@old.example.org\nSubject: Returned mail: User unknown\n\n"
        "   ----- Transcript of session follows -----\n"
        "While talking to mx.example.edu:\n>>> DATA\n"
        "<<< 550 You cannot send mail to yourself\n"
        "554 <uma@example.edu>... Remote protocol error\n"
        "554 <vic@example.org>... 550 Host unknown (Authoritative answer from name server)\n\n"
        "   ----- Unsent message follows -----\nFrom: sender@example.net\n\nbody\n");
    ASSERT_EQ(e.recipients.size(), 2u);
    EXPECT_EQ(e.recipients[0].recipient, "uma@example.edu");
    EXPECT_EQ(e.recipients[0].diagnostic, "550 You cannot send mail to yourself");
    EXPECT_EQ(e.recipients[1].diagnostic,
              "550 Host unknown (Authoritative answer from name server)");
}

namespace {

// A Sendmail DSN with the given transcript lines (after "... while talking to ...:") for one
// recipient whose Diagnostic-Code carries `reply`.
std::string sendmail_dsn(const std::string& rcpt, const std::string& transcript,
                         const std::string& reply) {
    return "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
           "Subject: Returned mail: see transcript for details\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
           "--b\nContent-Type: text/plain\n\n"
           "   ----- Transcript of session follows -----\n"
           "... while talking to mx.example.com.:\n" +
           transcript +
           "\n--b\nContent-Type: message/delivery-status\n\n"
           "Reporting-MTA: dns; mx.example.org\n\n"
           "Final-Recipient: RFC822; " +
           rcpt + "\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: SMTP; " + reply +
           "\n\n--b--\n";
}

}  // namespace

TEST(BounceEmail, TranscriptReplyAnsweringData) {
    BounceEmail e = read_bounce_email(
        sendmail_dsn("kim@example.com", ">>> DATA\n<<< 550 Unknown user kim@example.com\n",
                     "550 Unknown user kim@example.com"));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].smtp_command, "DATA");
}

TEST(BounceEmail, PipelinedTranscriptPairsRepliesFromTheEnd) {
    // Pipelining: only ">>> DATA" is shown, but the 550 came before the 503 that answered DATA,
    // so it answered the (unshown) RCPT TO.
    BounceEmail e = read_bounce_email(sendmail_dsn(
        "lee@example.com",
        ">>> DATA\n<<< 550 5.1.1 <lee@example.com>... User unknown\n"
        "550 5.1.1 <lee@example.com>... User unknown\n<<< 503 5.0.0 Need RCPT (recipient)\n",
        "550 5.1.1 <lee@example.com>... User unknown"));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_NE(e.recipients[0].smtp_command, "DATA");
    // A multi-line reply is one reply: the DATA reply here is the only one.
    e = read_bounce_email(sendmail_dsn("lee@example.com",
                                       ">>> DATA\n<<< 550-5.7.1 Message refused by\n"
                                       "<<< 550 5.7.1 the content filter\n",
                                       "550 5.7.1 Message refused by the content filter"));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].smtp_command, "DATA");
}

TEST(BounceEmail, TranscriptReplyToTheRecipientsOwnCommand) {
    // Several sessions: the recipient's reply is the one to its own RCPT TO, not the first
    // failure of the transcript.
    std::string email =
        "From: MAILER-DAEMON@old.example.org\nSubject: Returned mail: User unknown\n\n"
        "   ----- Transcript of session follows -----\n"
        "While talking to a.example.com:\n>>> DATA\n<<< 550 Message refused\n"
        "While talking to b.example.com:\n>>> RCPT To:<max@b.example.com>\n"
        "<<< 550 Requested mailbox not found\n550 <max@b.example.com>... User unknown\n\n"
        "   ----- Unsent message follows -----\n"
        "From: sender@example.net\nTo: max@b.example.com\nSubject: hi\n\nbody\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "max@b.example.com");
    EXPECT_EQ(e.recipients[0].smtp_command, "RCPT TO");
}

TEST(BounceEmail, CommandNamedInItsOwnSectionOrWording) {
    std::string email =
        "From: MAILER-DAEMON@gw.example.org\nSubject: Undeliverable mail\n\n"
        "Delivery to the following address failed.\nnina@example.com\n\n"
        "-------server message\n550 No such user\n\n-------SMTP command\nDATA\n\n"
        "-------original message\nFrom: sender@example.net\nTo: nina@example.com\n\nbody\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].smtp_command, "DATA");

    for (const char* said : {"mx.example.com [192.0.2.1] did not like our RCPT TO:",
                             "SMTP error from remote server after RCPT command:"}) {
        email = std::string(
                    "From: MAILER-DAEMON@gw.example.org\nSubject: Mail delivery failed\n\n"
                    "Could not deliver mail to: <olga@example.com>\n") +
                said + "\n550 5.1.1 <olga@example.com>: User unknown\n";
        e = read_bounce_email(email);
        ASSERT_EQ(e.recipients.size(), 1u) << said;
        EXPECT_EQ(e.recipients[0].smtp_command, "RCPT TO") << said;
    }
}

TEST(BounceEmail, XUnixDiagnosticKeepsItsType) {
    // A local delivery program's exit status is no SMTP reply: "255" must not read as a code.
    std::string email =
        "From: MAILER-DAEMON@mx.example.org\nSubject: Returned mail: see transcript for details\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nThe following addresses had permanent fatal errors\n"
        "\"|/usr/local/bin/deliver.sh\"\n    (reason: 255)\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
        "Final-Recipient: RFC822; pat@example.org\nAction: failed\nStatus: 5.0.0\n"
        "Diagnostic-Code: X-Unix; 255\n\n--b--\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "X-Unix; 255");
}

namespace {

std::string qmail_bounce(const std::string& rcpt, const std::string& body) {
    return "From: MAILER-DAEMON@mx.example.org\nSubject: failure notice\n\n"
           "Hi. This is the qmail-send program at mx.example.org.\n"
           "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
           "This is a permanent error; I've given up. Sorry it didn't work out.\n\n<" +
           rcpt + ">:\n" + body +
           "\n--- Below this line is a copy of the message.\n\n"
           "Return-Path: <sender@example.net>\nTo: " +
           rcpt + "\nSubject: test\n\nbody\n";
}

}  // namespace

TEST(BounceEmail, QmailNamesTheStageInItsSentences) {
    struct Case {
        const char* sentence;
        const char* command;
    } cases[] = {
        {"Connected to 192.0.2.2 but greeting failed.", "CONNECT"},
        {"Connected to 192.0.2.2 but my name was rejected.", "EHLO"},
        {"Connected to 192.0.2.2 but sender was rejected.", "MAIL FROM"},
        {"192.0.2.2 does not like recipient.", "RCPT TO"},
        {"192.0.2.2 failed on DATA command.", "DATA"},
        {"192.0.2.2 failed after I sent the message.", "DATA"},
    };
    for (const Case& c : cases) {
        BounceEmail e = read_bounce_email(
            qmail_bounce("quinn@example.com",
                         std::string(c.sentence) + "\nRemote host said: 554 5.7.1 Refused\n"));
        ASSERT_EQ(e.recipients.size(), 1u) << c.sentence;
        EXPECT_EQ(e.recipients[0].smtp_command, c.command) << c.sentence;
    }
}

TEST(BounceEmail, QmailQueueLifetimeNoteAfterAPermanentReply) {
    // After a permanent reply the reply says why; after temporary failures the expiry does.
    BounceEmail e = read_bounce_email(
        qmail_bounce("ruth@example.com",
                     "Connected to 192.0.2.2 but my name was rejected.\n"
                     "Remote host said: 501 5.0.0 Invalid domain name\n"
                     "I'm not going to try again; this message has been in the queue too long.\n"));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "501 5.0.0 Invalid domain name");
    e = read_bounce_email(
        qmail_bounce("ruth@example.com",
                     "Connection to 192.0.2.2 timed out\n"
                     "I'm not going to try again; this message has been in the queue too long.\n"));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_NE(e.recipients[0].diagnostic.find("not going to try again"), std::string::npos);
}

TEST(BounceEmail, AnnotationLinesAreNoPartOfTheReply) {
    // qmail's "Giving up on HOST." closes the entry after the remote reply.
    BounceEmail e = read_bounce_email(qmail_bounce(
        "sara@example.com",
        "192.0.2.2 does not like recipient.\nRemote host said: 550 5.1.1 <sara@example.com>: "
        "User unknown\nGiving up on 192.0.2.2.\n"));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "550 5.1.1 <sara@example.com>: User unknown");
    // Exim names the alias an address came from on the line after it.
    std::string email =
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
        "Subject: Mail delivery failed: returning message to sender\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  walt@example.org\n    (generated from info@example.org)\n    Unrouteable address\n";
    e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "walt@example.org");
    EXPECT_EQ(e.recipients[0].diagnostic, "Unrouteable address");
}

TEST(BounceEmail, FmlMailingListNotice) {
    std::string email =
        "From: list-admin@example.org\nTo: sam@example.net\n"
        "Subject: You sam@example.net are not member (team ML)\n"
        "X-MLServer: fml [fml 4.0.3 release]\n\n"
        "You are not a member of this mailing list <team@example.org>.\n\n"
        "If you know the general guide of this list, please send mail to\n\n"
        "\tteam-ctl@example.org\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "team@example.org");
    EXPECT_EQ(e.recipients[0].diagnostic,
              "You are not a member of this mailing list <team@example.org>.");
}

TEST(BounceEmail, EximDeliveryGeneratedByAFilter) {
    std::string email =
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
        "Subject: Mail delivery failed: returning message to sender\n\n"
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  save to /home/tess/mail/inbox\n    generated by tess@example.org\n"
        "    mailbox is full: retry timeout exceeded\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
        "From: sender@example.net\nTo: tess@example.org\n\nbody\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "tess@example.org");
    EXPECT_EQ(e.recipients[0].diagnostic, "mailbox is full: retry timeout exceeded");
}

TEST(BounceEmail, BracketedAddressInsideAReplyIsNoRecipientLine) {
    // "550-F=[a@b]": '[' cannot stand in an unquoted local part (RFC 5322 atext), so the reply
    // line does not name a recipient; the sentence before it does.
    std::string email =
        "From: postmaster@mx.example.org\nSubject: Undeliverable Mail\n\n"
        "undeliverable to uma@example.jp\n\nBody of message generated response:\n"
        "550-REJECTED - Blacklisted URL in message.\n"
        "550-F=[sender@example.net] T=[uma@example.jp]\n550 end of report\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].recipient, "uma@example.jp");
}

TEST(BounceEmail, SendmailServiceUnavailableTakesTheMailersWords) {
    std::string email =
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
        "Subject: Returned mail: see transcript for details\n\n"
        "   ----- The following addresses had permanent fatal errors -----\n"
        "<vic@example.org>\n\n   ----- Transcript of session follows -----\n"
        "mail.local: unknown user: vic\n554 <vic@example.org>... Service unavailable\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "554 Service unavailable mail.local: unknown user: vic");
}

TEST(BounceEmail, DeliveryToAProgramFoundThroughXActualRecipient) {
    std::string email =
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.edu>\n"
        "Subject: Returned mail: Service unavailable\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\n"
        "   ----- The following addresses had permanent fatal errors -----\n"
        "\"|exec /usr/bin/procmail #walt\"\n    (expanded from: <walt@example.edu>)\n\n"
        "   ----- Transcript of session follows -----\n"
        "554 \"|exec /usr/bin/procmail #walt\"... Service unavailable\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.edu\n\n"
        "Final-Recipient: RFC822; walt@mx.example.edu\n"
        "X-Actual-Recipient: RFC822; |exec /usr/bin/procmail #walt@mx.example.edu\n"
        "Action: failed\nStatus: 5.5.0\n\n--b--\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic,
              "554 \"|exec /usr/bin/procmail #walt\"... Service unavailable");
}

TEST(BounceEmail, AppleMailUnsubscribeIsFeedback) {
    std::string email =
        "From: xena@icloud.example\nTo: opt-out-1@list.example.org\nSubject: unsubscribe\n"
        "Auto-Submitted: auto-replied\nX-Apple-Unsubscribe: true\n\n"
        "Apple Mail sent this email to unsubscribe from the message \"News\".\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].kind, ReportKind::feedback);
    EXPECT_EQ(e.recipients[0].recipient, "xena@icloud.example");
    EXPECT_EQ(e.recipients[0].feedback_type, "unsubscribe");
}

TEST(BounceEmail, QmailCodeClosingASentenceMidLine) {
    BounceEmail e = read_bounce_email(
        qmail_bounce("yuri@example.com",
                     "Unable to contact LDAP server. (#4.4.3)I'm not going to try again; this\n"
                     "message has been in the queue too long.\n"));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic.rfind("Unable to contact LDAP server. (#4.4.3)", 0), 0u)
        << e.recipients[0].diagnostic;
}

TEST(BounceEmail, DataStageWordings) {
    for (const char* said : {"SMTP error from remote mail server after end of data:",
                             "SMTP error from remote mail server after DATA command:",
                             "SMTP error from remote mail server after pipelined DATA:"}) {
        std::string email =
            std::string(
                "From: MAILER-DAEMON@gw.example.org\nSubject: Mail delivery failed\n\n"
                "Could not deliver mail to: <zoe@example.com>\n") +
            said + "\n550 5.1.1 <zoe@example.com>: User unknown\n";
        BounceEmail e = read_bounce_email(email);
        ASSERT_EQ(e.recipients.size(), 1u) << said;
        EXPECT_EQ(e.recipients[0].smtp_command, "DATA") << said;
    }
}

TEST(BounceEmail, AuNoticeOpensWithItsVerdict) {
    std::string email =
        "From: Mail Delivery Subsystem <MAILER-DAEMON@lsean.ezweb.ne.jp>\n"
        "Subject: Returned mail: see transcript for details\n\n"
        "The user(s) account is disabled.\n\n"
        "<amy@ezweb.example>: 550 user unknown (in reply to RCPT TO command)\n";
    BounceEmail e = read_bounce_email(email);
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_NE(e.recipients[0].diagnostic.find("The user(s) account is disabled."),
              std::string::npos)
        << e.recipients[0].diagnostic;
}

namespace {

// The enhanced code of the one result of a DSN whose recipient has `status` and `diagnostic`.
std::string enhanced_code_of(const std::string& status, const std::string& diagnostic) {
    static const Classifier classifier(RuleTable::embedded());
    std::string email =
        "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail Returned to Sender\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
        "Final-Recipient: rfc822; lee@example.com\nAction: failed\nStatus: " +
        status + "\nDiagnostic-Code: smtp; " + diagnostic + "\n\n--b--\n";
    std::vector<Result> results = diagnose_email(read_bounce_email(email), classifier);
    return results.size() == 1 ? results[0].reply.enhanced_code
                               : "(" + std::to_string(results.size()) + " results)";
}

}  // namespace

// RFC 3463: X.0.0 is any other status, X.Y.0 another status of subject Y; a DSN Status that
// says more stands in for them, and never for a code that has a detail already.
TEST(DiagnoseEmail, DsnStatusStandsInForAnUndefinedEnhancedCode) {
    EXPECT_EQ(enhanced_code_of("5.1.1", "550 5.0.0 Address rejected"), "5.1.1");
    EXPECT_EQ(enhanced_code_of("5.1.1", "550 5.1.0 Address rejected"), "5.1.1");
    EXPECT_EQ(enhanced_code_of("5.2.2", "550 5.1.0 Address rejected"), "5.1.0");
    EXPECT_EQ(enhanced_code_of("5.1.1", "550 5.7.1 Address rejected"), "5.7.1");
    EXPECT_EQ(enhanced_code_of("5.1.1", "550 Address rejected"), "5.1.1");
}
