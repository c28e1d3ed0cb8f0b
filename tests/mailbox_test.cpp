// Unit tests of mbox detection and splitting.
#include "bouncediag/mailbox.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace bouncediag;

namespace {

std::vector<std::string> split(std::string_view data) {
    std::vector<std::string> out;
    MboxSplitter splitter(data);
    std::string_view m;
    while (splitter.next(m)) out.emplace_back(m);
    return out;
}

}  // namespace

TEST(Mailbox, DetectsMboxAndEmail) {
    EXPECT_TRUE(looks_like_mbox("From a@b Thu Jan  1 00:00:00 2015\nSubject: x\n"));
    EXPECT_FALSE(looks_like_mbox("From: a@b\n"));
    EXPECT_TRUE(looks_like_email("Return-Path: <>\nFrom: a@b\n\nbody"));
    EXPECT_TRUE(looks_like_email("\r\nX-Header: 1\r\nSubject: x\r\n"));
    EXPECT_TRUE(looks_like_email("Received: from a\n(broken fold) by b\n\nbody"));
    // A pasted DSN fragment, a JSON event or a log line is not an email.
    EXPECT_FALSE(looks_like_email("Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 gone\n"));
    EXPECT_FALSE(looks_like_email("{\"notificationType\":\"Bounce\"}\n"));
    EXPECT_FALSE(looks_like_email("#Software: Microsoft Exchange Server\n#Version: 15.0\n"));
    EXPECT_FALSE(looks_like_email("2026-11-27T12:00:01.120Z [INFO] [outbound] x\n"));
    EXPECT_FALSE(looks_like_email("550 5.1.1 user unknown"));
    EXPECT_FALSE(looks_like_email(""));
    EXPECT_FALSE(looks_like_email("not a header line\n"));
}

TEST(Mailbox, SplitsOnFromLinesAfterBlankLines) {
    std::string mbox =
        "From a@b Mon Jan  1 00:00:00 2015\nSubject: one\n\nbody\nFrom the start of a line\n\n"
        "From c@d Mon Jan  1 00:00:01 2015\nSubject: two\n\n>From quoted\n";
    std::vector<std::string> msgs = split(mbox);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0], "Subject: one\n\nbody\nFrom the start of a line\n\n");
    EXPECT_EQ(msgs[1], "Subject: two\n\n>From quoted\n");
}

TEST(Mailbox, HandlesCrlfAndEmptyInput) {
    std::vector<std::string> msgs =
        split("From a Mon\r\nSubject: 1\r\n\r\nx\r\n\r\nFrom b Tue\r\nSubject: 2\r\n");
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[1], "Subject: 2\r\n");
    EXPECT_TRUE(split("").empty());
    EXPECT_TRUE(split("From a\n").empty());
    EXPECT_EQ(split("\n\n\n").size(), 0u);
}
