#include "bouncediag/reply.h"

#include <gtest/gtest.h>

#include <string>

namespace bouncediag {
namespace {

struct ReplyCase {
    std::string input;
    int basic;
    std::string enhanced;
    std::string text;
};

void PrintTo(const ReplyCase& c, std::ostream* os) {
    *os << c.input;
}

class ParseReply : public testing::TestWithParam<ReplyCase> {};

TEST_P(ParseReply, SplitsCodesAndText) {
    const ReplyCase& c = GetParam();
    Reply r = parse_reply(c.input);
    EXPECT_EQ(r.basic_code, c.basic);
    EXPECT_EQ(r.enhanced_code, c.enhanced);
    EXPECT_EQ(r.text, c.text);
}

// Real replies in the forms MTAs and providers write them.
INSTANTIATE_TEST_SUITE_P(
    RealReplies, ParseReply,
    testing::Values(
        ReplyCase{
            "550 5.1.1 <a@b>: Recipient address rejected: User unknown in local recipient table",
            550, "5.1.1",
            "<a@b>: Recipient address rejected: User unknown in local recipient table"},
        ReplyCase{"550 5.7.26 Unauthenticated email from example.com is not accepted due to the "
                  "sender domain's DMARC policy",
                  550, "5.7.26",
                  "Unauthenticated email from example.com is not accepted due to the sender "
                  "domain's DMARC policy"},
        ReplyCase{"550-5.7.1 [192.0.2.1] Our system has detected that this message is\n"
                  "550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent\n"
                  "550 5.7.1 to Gmail, this message has been blocked. - gsmtp",
                  550, "5.7.1",
                  "[192.0.2.1] Our system has detected that this message is likely unsolicited "
                  "mail. To reduce the amount of spam sent to Gmail, this message has been "
                  "blocked. - gsmtp"},
        ReplyCase{"Sorry, no mailbox here by that name. (#5.1.1)", 0, "5.1.1",
                  "Sorry, no mailbox here by that name."},
        ReplyCase{"550 #5.1.0 Address rejected.", 550, "5.1.0", "Address rejected."},
        ReplyCase{"553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", 553,
                  "5.7.1", "sorry, that domain isn't in my list of allowed rcpthosts"},
        ReplyCase{"5.1.1 user unknown", 0, "5.1.1", "user unknown"},
        ReplyCase{"User unknown", 0, "", "User unknown"},
        ReplyCase{"452 Too many recipients received this hour", 452, "",
                  "Too many recipients received this hour"},
        ReplyCase{"Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.jp>... User Unknown", 550,
                  "5.1.1", "<kijitora@example.jp>... User Unknown"},
        ReplyCase{
            "Diagnostic-Code: SMTP; 553 Invalid recipient destinaion@example.net (Mode: normal)",
            553, "", "Invalid recipient destinaion@example.net (Mode: normal)"},
        ReplyCase{"Status: 5.2.2", 0, "5.2.2", ""},
        ReplyCase{"host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@example.com>: Recipient "
                  "address rejected: User unknown (in reply to RCPT TO command)",
                  550, "5.1.1", "<a@example.com>: Recipient address rejected: User unknown"},
        ReplyCase{"SMTP error from remote mail server after RCPT TO:<a@example.com>: 550 5.1.1 "
                  "No such user here",
                  550, "5.1.1", "No such user here"},
        ReplyCase{"SMTP error from remote mail server after RCPT TO:<a@example.com>:\n"
                  "    host mx.example.com [192.0.2.1]: 550 5.1.1 No such user here",
                  550, "5.1.1", "No such user here"},
        ReplyCase{"Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", 550,
                  "5.1.1", "RESOLVER.ADR.RecipNotFound; not found"},
        ReplyCase{"The response from the remote server was: 552 5.2.2 The email account that you "
                  "tried to reach is over quota.",
                  552, "5.2.2", "The email account that you tried to reach is over quota."},
        ReplyCase{"2026-11-27 10:00:01 550 5.1.1 mailbox unavailable", 550, "5.1.1",
                  "mailbox unavailable"},
        ReplyCase{"   421 4.7.0 Try again later, closing connection.  ", 421, "4.7.0",
                  "Try again later, closing connection."},
        ReplyCase{"550 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using "
                  "zen.spamhaus.org",
                  550, "5.7.1",
                  "Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org"},
        ReplyCase{"554 Message refused", 554, "", "Message refused"},
        ReplyCase{"220-mx.example.fr 421 4.2.1 Service refuse. Veuillez essayer plus tard.", 421,
                  "4.2.1", "Service refuse. Veuillez essayer plus tard."},
        ReplyCase{"Size (in bytes): 222 Number of lines: 2 550 - Requested action not taken: no "
                  "such user here",
                  550, "", "Requested action not taken: no such user here"},
        ReplyCase{"550-5.2.1 The user you are trying to contact is receiving mail at a rate that "
                  "550-5.2.1 prevents additional messages from being delivered. 550 5.2.1 Please "
                  "resend later. - gsmtp",
                  550, "5.2.1",
                  "The user you are trying to contact is receiving mail at a rate that prevents "
                  "additional messages from being delivered. Please resend later. - gsmtp"},
        ReplyCase{"550 Message of 550 bytes exceeds the 550-byte limit", 550, "",
                  "Message of 550 bytes exceeds the 550-byte limit"},
        ReplyCase{"550-Please turn on SMTP Authentication 550-in your mail client.", 550, "",
                  "Please turn on SMTP Authentication in your mail client."},
        ReplyCase{"571 Delivery not authorized, message refused", 571, "",
                  "Delivery not authorized, message refused"},
        ReplyCase{"250 2.0.0 Ok: queued as 4ABCD", 250, "2.0.0", "Ok: queued as 4ABCD"},
        ReplyCase{"connect to mx.example.com[192.0.2.1]:25: Connection timed out", 0, "",
                  "connect to mx.example.com[192.0.2.1]:25: Connection timed out"},
        ReplyCase{"relay=mx.example.com[192.0.2.1]:465, status=deferred", 0, "",
                  "relay=mx.example.com[192.0.2.1]:465, status=deferred"},
        // Amazon SES: its own enhanced code first, the remote's basic code quoted after it.
        ReplyCase{"5.3.0 - Other mail system problem 550-'Unknown user jane@example.jp' "
                  "(delivery attempts: 0)",
                  550, "5.3.0",
                  "Other mail system problem 'Unknown user jane@example.jp' (delivery attempts: "
                  "0)"},
        ReplyCase{"5.1.0 - Unknown address error 550-'5.1.1 <jane@example.jp>: User unknown'", 550,
                  "5.1.1", "<jane@example.jp>: User unknown"},
        // An expiry notice quoting the remote's last reply: the quoted codes tell why.
        ReplyCase{"554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 "
                  "Connection timed out>",
                  421, "4.4.2",
                  "Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed "
                  "out>"},
        ReplyCase{"550 5.1.1 <jane@example.com>: User unknown", 550, "5.1.1",
                  "<jane@example.com>: User unknown"},
        // An empty address before the colon is part of what the server said (KDDI au).
        ReplyCase{"550 : User unknown", 550, "", ": User unknown"},
        ReplyCase{"550: : User unknown", 550, "", ": User unknown"},
        ReplyCase{"550: User unknown", 550, "", "User unknown"},
        // A Diagnostic-Code of type X-Unix: an exit status is not a reply code.
        ReplyCase{"X-Unix; 255", 0, "", "X-Unix; 255"},
        // Exchange encloses its reply in "#" and "##"; a '#' glued to a word is no opening.
        ReplyCase{"#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", 550, "5.1.1",
                  "RESOLVER.ADR.RecipNotFound; not found"},
        ReplyCase{"see DOC-1369#550 5.1.1 for details", 0, "5.1.1",
                  "see DOC-1369#550 for details"}));

// Garbage never yields a code and never throws.
INSTANTIATE_TEST_SUITE_P(
    Garbage, ParseReply,
    testing::Values(ReplyCase{"999 hello", 0, "", "999 hello"},
                    ReplyCase{"5.99999.1", 0, "", "5.99999.1"}, ReplyCase{"", 0, "", ""},
                    ReplyCase{"192.0.2.1 refused", 0, "", "192.0.2.1 refused"},
                    ReplyCase{"version 2.0.1 installed", 0, "", "version 2.0.1 installed"}));

TEST(ParseReply, FlagsInconsistentCodesAndKeepsBoth) {
    Reply r = parse_reply("450 5.7.1 Client host rejected: try again later");
    EXPECT_EQ(r.basic_code, 450);
    EXPECT_EQ(r.enhanced_code, "5.7.1");
    EXPECT_TRUE(r.codes_inconsistent);
    EXPECT_EQ(r.code_class_type(), "soft");  // the basic code decides
}

TEST(ParseReply, FinalLineOfMultiLineReplyWins) {
    Reply r = parse_reply("451-4.3.0 first line\n550 5.7.1 second line");
    EXPECT_EQ(r.basic_code, 550);
    EXPECT_EQ(r.enhanced_code, "5.7.1");
    EXPECT_EQ(r.text, "first line second line");
}

TEST(ParseReply, RecordsWrapperHostAndCommand) {
    Reply r = parse_reply(
        "host gmail-smtp-in.l.google.com[142.250.1.26] said: 550-5.1.1 The email account that you "
        "tried to reach does not exist. (in reply to RCPT TO command)");
    EXPECT_EQ(r.wrapper, "said");
    EXPECT_EQ(r.remote_host, "gmail-smtp-in.l.google.com");
    EXPECT_EQ(r.smtp_command, "RCPT TO");
    EXPECT_EQ(r.enhanced_code, "5.1.1");
}

// The wrapper markers are found in any case and wherever they stand; when a line holds
// several, the one listed first in the parser's table decides (Diagnostic-Code before a
// quoted "said:"), and "Status:" counts only at the start of a line.
TEST(ParseReply, WrapperMarkersInAnyCaseAndOrder) {
    struct Case {
        const char* line;
        const char* wrapper;
        const char* text;
    };
    const Case cases[] = {
        {"HOST mx.example.org[192.0.2.1] SAID: 550 5.1.1 unknown", "said", "unknown"},
        {"diagnostic-code: smtp; 550 5.1.1 host x said: no", "diagnostic-code", "host x said: no"},
        {"a: b: c: host x said: 554 5.7.1 denied", "said", "denied"},
        {"REMOTE SERVER RETURNED '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", "exchange",
         "RESOLVER.ADR.RecipNotFound; not found"},
        {"smtp ERROR from remote mail server after RCPT TO:<a@example.org>: host mx "
         "[192.0.2.1]: 550 5.1.1 no such user",
         "exim", "no such user"},
        {"the text says status: 550 5.1.1 gone", "bare", "gone"},
        {"s:'\":x: no marker here 550 5.0.0 plain", "bare", "plain"},
    };
    for (const Case& c : cases) {
        Reply r = parse_reply(c.line);
        EXPECT_EQ(r.wrapper, c.wrapper) << c.line;
        EXPECT_EQ(r.text, c.text) << c.line;
    }
}

TEST(ParseReply, BinaryInputIsHarmless) {
    std::string binary(
        "\x00\xff\x01"
        "550\x00"
        "5.1.1\xfe",
        12);
    Reply r = parse_reply(binary);
    EXPECT_EQ(r.enhanced_code, "");
}

TEST(EnhancedCode, WellFormedOnly) {
    EXPECT_TRUE(is_enhanced_code("5.7.26"));
    EXPECT_TRUE(is_enhanced_code("4.4.7"));
    EXPECT_TRUE(is_enhanced_code("2.0.0"));
    EXPECT_FALSE(is_enhanced_code("6.1.1"));
    EXPECT_FALSE(is_enhanced_code("5.1"));
    EXPECT_FALSE(is_enhanced_code("5.1.1.1"));
    EXPECT_FALSE(is_enhanced_code("5.1000.1"));
}

}  // namespace
}  // namespace bouncediag

namespace bouncediag {
namespace {

TEST(ParseReply, EximPipelinedCommandIsTheCommandAnswered) {
    Reply r = parse_reply(
        "SMTP error from remote mail server after pipelined RCPT TO:<a@example.com>: 550 5.1.1 "
        "<a@example.com>: User unknown");
    EXPECT_EQ(r.smtp_command, "RCPT TO");
    EXPECT_EQ(r.text, "<a@example.com>: User unknown");
    r = parse_reply("SMTP error from remote mail server after end of data: 550 5.7.1 Rejected");
    EXPECT_EQ(r.smtp_command, "DATA");
    r = parse_reply(
        "host mx.example.com[192.0.2.1] said: 550 5.7.1 Rejected (in reply to end of "
        "DATA command)");
    EXPECT_EQ(r.smtp_command, "DATA");
}

}  // namespace
}  // namespace bouncediag
