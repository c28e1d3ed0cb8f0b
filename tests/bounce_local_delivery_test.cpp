// Sendmail DSNs for a failed local delivery program: "Diagnostic-Code: X-Unix; N" and the
// transcript's summary line.
#include <gtest/gtest.h>

#include <string>

#include "bouncediag/bounce_email.h"

using namespace bouncediag;

namespace {

std::string sendmail_local_dsn(const std::string& transcript, const std::string& status,
                               const std::string& exit_status) {
    return "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
           "To: sam@example.org\n"
           "Subject: Returned mail: see transcript for details\n"
           "MIME-Version: 1.0\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"
           "--b1\n\n"
           "   ----- The following addresses had permanent fatal errors -----\n"
           "\"|/usr/local/bin/handler\"\n"
           "    (reason: " +
           exit_status +
           ")\n"
           "    (expanded from: <vera@example.org>)\n\n"
           "   ----- Transcript of session follows -----\n" +
           transcript +
           "\n--b1\n"
           "Content-Type: message/delivery-status\n\n"
           "Reporting-MTA: dns; mx.example.org\n\n"
           "Final-Recipient: RFC822; vera@example.org\n"
           "X-Actual-Recipient: X-Unix; |/usr/local/bin/handler\n"
           "Action: failed\n"
           "Status: " +
           status +
           "\n"
           "Diagnostic-Code: X-Unix; " +
           exit_status + "\n\n--b1--\n";
}

}  // namespace

TEST(BounceLocalDelivery, TranscriptSummaryGivesTheCodes) {
    BounceEmail e = read_bounce_email(sendmail_local_dsn(
        "handler: cannot open database\n554 5.3.0 unknown mailer error 255\n", "5.0.0", "255"));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "554 5.3.0 X-Unix; 255 (unknown mailer error 255)");
}

TEST(BounceLocalDelivery, NoSummaryKeepsTheExitStatus) {
    BounceEmail e = read_bounce_email(sendmail_local_dsn("Permission denied\n", "5.0.0", "127"));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "X-Unix; 127");
}

TEST(BounceLocalDelivery, TwoSummaryLinesAreAmbiguous) {
    BounceEmail e = read_bounce_email(sendmail_local_dsn(
        "451 4.0.0 Operating system error\n554 5.3.0 unknown mailer error 71\n", "4.5.0", "71"));
    ASSERT_EQ(e.recipients.size(), 1u);
    EXPECT_EQ(e.recipients[0].diagnostic, "X-Unix; 71");
}
