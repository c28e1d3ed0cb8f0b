// The email reader's fast paths (one multi-line search for the end of the report, run copies,
// checks before RE2) must give exactly what the plain line-by-line versions gave. These tests
// keep those plain versions as references and compare on generated texts full of the cases
// that matter: CR, CR CR LF, tabs, ">From ", '=' escapes, markers with blanks around them,
// non-ASCII and invalid UTF-8 bytes.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "../src/bounce_formats.h"
#include "../src/mime.h"
#include "bouncediag/bounce_email.h"
#include "bouncediag/mailbox.h"

namespace {

using namespace bouncediag;

std::vector<std::string_view> reference_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) eol = text.size();
        lines.push_back(text.substr(pos, eol - pos));
        pos = eol + 1;
    }
    return lines;
}

// The end-of-report marker as it was matched before, one line at a time with "\s".
std::string_view reference_report_section(std::string_view text) {
    static const RE2 re(
        "(?i)^\\s*(?:[-=_*#>]{2,}.*\\b(?:original|copy of|unsent|undelivered message|message "
        "follows|headers? follow|below this line|returned message|rejected message|message "
        "headers|header of|original message|text of the message|attached message)|(?:-+ ?)?"
        "below this line is a copy|original (?:mail|message) as follows|original message(?: "
        "headers| follows|:?\\s*$)|content-type: "
        "message/rfc822|------ this is a copy|\\*\\*\\* original message|the header of the "
        "original message|message headers follow|--- the header)");
    for (std::string_view line : reference_lines(text))
        if (RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), re))
            return text.substr(0, static_cast<std::size_t>(line.data() - text.data()));
    return text;
}

std::string reference_normalize(std::string_view raw) {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '\r') {
            std::size_t j = i;
            while (j < raw.size() && raw[j] == '\r') ++j;
            if (j < raw.size() && raw[j] == '\n') i = j;
            out.push_back('\n');
            continue;
        }
        bool line_start = out.empty() || out.back() == '\n';
        if (c == '>' && line_start && raw.substr(i, 6) == ">From ") continue;
        out.push_back(c);
    }
    return out;
}

std::string reference_unfold(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\n' || c == '\t') c = ' ';
        if (c == ' ') {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
            continue;
        }
        out.push_back(c);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string reference_quoted_printable(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c != '=') {
            out.push_back(c);
            continue;
        }
        if (i + 1 < in.size() && in[i + 1] == '\n') {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
        if (j < in.size() && in[j] == '\n' && j > i + 1) {
            i = j;
            continue;
        }
        if (i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2])));
            i += 2;
            continue;
        }
        out.push_back(c);
    }
    return out;
}

// Texts made of pieces that exercise the edge cases, from a fixed seed.
std::string generated_text(std::mt19937& rng, const std::vector<std::string>& pieces, int count) {
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::string out;
    for (int i = 0; i < count; ++i) out += pieces[pick(rng)];
    return out;
}

const std::vector<std::string>& report_pieces() {
    static const std::vector<std::string> pieces = {
        "\n",
        "\n",
        "\n",
        " ",
        "\t",
        "\r",
        "\f",
        "\v",
        "word ",
        "550 5.1.1 user unknown",
        "----- Original message -----",
        "-- original",
        "==",
        "> ",
        "original message",
        "Original Message:",
        "original message: \t",
        "original message:\r",
        "ORIGINAL MESSAGE",
        "below this line is a copy",
        "- below this line is a copy",
        "Content-Type: message/rfc822",
        "------ This is a copy",
        "*** original message",
        "the header of the original message",
        "message headers follow",
        "--- The header",
        "original mail as follows",
        "original message headers",
        "\xc3\xa9",
        "\xff",
        "x@y.z",
        "--- Below this line is a copy of the message."};
    return pieces;
}

}  // namespace

TEST(EmailReaderFastPaths, ReportSectionMatchesTheLineByLineSearch) {
    std::mt19937 rng(20261128);
    for (int round = 0; round < 3000; ++round) {
        std::string text = generated_text(rng, report_pieces(), 1 + round % 40);
        ASSERT_EQ(detail::report_section(text), reference_report_section(text))
            << "text: [" << text << "]";
    }
}

TEST(EmailReaderFastPaths, ReportSectionIsRightForEachTextAskedInTurn) {
    // The last answer is remembered: a copy of the text, or the same buffer rewritten with
    // other content of the same size, must not get the remembered answer wrongly.
    std::string a = "Your mail failed.\n----- Original message -----\nFrom: x\n";
    std::string b = a;
    EXPECT_EQ(detail::report_section(a), "Your mail failed.\n");
    EXPECT_EQ(detail::report_section(b), "Your mail failed.\n");
    std::string c = a;
    c.replace(18, 9, "---------");  // the marker line no longer names the original
    ASSERT_EQ(c.size(), a.size());
    EXPECT_EQ(detail::report_section(c), reference_report_section(c));
    EXPECT_EQ(detail::report_section(a), "Your mail failed.\n");
    a[0] = 'y';
    EXPECT_EQ(detail::report_section(a), "your mail failed.\n");
    EXPECT_EQ(detail::report_section(""), "");
    EXPECT_EQ(detail::report_section("\t original message: \r"), "");
}

TEST(EmailReaderFastPaths, LineEndingsMatchTheByteByByteVersion) {
    static const std::vector<std::string> pieces = {
        "\r", "\r\n", "\r\r\n", "\n", ">", ">From ", "From ", "a", "text ", "\n>From x", "> From"};
    std::mt19937 rng(7);
    for (int round = 0; round < 3000; ++round) {
        std::string raw = generated_text(rng, pieces, round % 30);
        ASSERT_EQ(mime::normalize_line_endings(raw), reference_normalize(raw))
            << "raw: [" << raw << "]";
    }
}

TEST(EmailReaderFastPaths, NeedsNormalizingMatchesThePlainSearch) {
    static const std::vector<std::string> pieces = {"\n",     ">",  ">From ",    "From ",  "a",
                                                    "\n>Fro", "m ", "\n>From x", "> From", "\r"};
    std::mt19937 rng(17);
    for (int round = 0; round < 3000; ++round) {
        std::string raw = generated_text(rng, pieces, round % 12);
        bool expected = raw.find('\r') != std::string::npos || raw.starts_with(">From ") ||
                        raw.find("\n>From ") != std::string::npos;
        ASSERT_EQ(mime::needs_normalizing(raw), expected) << "raw: [" << raw << "]";
    }
}

TEST(EmailReaderFastPaths, UnfoldMatchesTheByteByByteVersion) {
    static const std::vector<std::string> pieces = {" ", "\t", "\n", "\r", "a", "word", "\n\t"};
    std::mt19937 rng(11);
    for (int round = 0; round < 3000; ++round) {
        std::string value = generated_text(rng, pieces, round % 20);
        ASSERT_EQ(mime::unfold(value), reference_unfold(value)) << "value: [" << value << "]";
    }
}

TEST(EmailReaderFastPaths, QuotedPrintableMatchesTheByteByByteVersion) {
    static const std::vector<std::string> pieces = {"=",   "=\n",    "= \n", "=\t \n", "=41", "=4",
                                                    "=g1", "=C3=A9", "a",    "text ",  "\n",  " "};
    std::mt19937 rng(13);
    for (int round = 0; round < 3000; ++round) {
        std::string in = generated_text(rng, pieces, round % 25);
        ASSERT_EQ(mime::decode_quoted_printable(in), reference_quoted_printable(in))
            << "in: [" << in << "]";
    }
}

TEST(EmailReaderFastPaths, HeaderParameterSkipsOtherParameters) {
    std::string_view value =
        "multipart/report; report-type=\"delivery-status\"; boundary=\"a\\\"b\n c\";\n"
        " charset = utf-8 ; name=x";
    EXPECT_EQ(mime::header_parameter(value, "boundary"), "a\"b c");
    EXPECT_EQ(mime::header_parameter(value, "REPORT-TYPE"), "delivery-status");
    EXPECT_EQ(mime::header_parameter(value, "charset"), "utf-8");
    EXPECT_EQ(mime::header_parameter(value, "name"), "x");
    EXPECT_EQ(mime::header_parameter(value, "missing"), "");
}

TEST(EmailReaderFastPaths, TranscriptLinesAfterRe2Blanks) {
    // "^\\s*>>>" skips space, tab, CR and form feed, but not a vertical tab.
    detail::Transcript t(" \t\f>>> RCPT To:<jane@example.org>\n\r<<< 550 5.1.1 No such user\n");
    EXPECT_EQ(t.command_for("jane@example.org"), "RCPT TO");
    detail::Transcript v("\v>>> RCPT To:<jane@example.org>\n\v<<< 550 5.1.1 No such user\n");
    EXPECT_EQ(v.command_for("jane@example.org"), "");
    detail::Transcript none("no transcript here\n550 5.1.1 No such user\n");
    EXPECT_EQ(none.command_for("jane@example.org"), "");
}

TEST(EmailReaderFastPaths, StatedCommandWordings) {
    EXPECT_EQ(detail::stated_command("550 unknown (in reply to RCPT TO command)"), "RCPT TO");
    EXPECT_EQ(detail::stated_command("after MAIL FROM:<a@b> ... after end of data"), "DATA");
    EXPECT_EQ(detail::stated_command("----- SMTP command:\nDATA\n"), "DATA");
    EXPECT_EQ(detail::stated_command("Connected to 192.0.2.1 but sender was rejected."),
              "MAIL FROM");
    EXPECT_EQ(detail::stated_command("550 5.1.1 <a@b>... User Unknown\n[RCPT_TO] \n"), "RCPT TO");
    EXPECT_EQ(detail::stated_command("550 550 <a@b>: User unknown (state 14)."), "RCPT TO");
    EXPECT_EQ(detail::stated_command("550 5.7.1 rejected (state 18)."), "DATA");
    // The stage labels count in the notice only, not in the returned message after it.
    EXPECT_EQ(detail::stated_command("Failed.\n----- Original message -----\nX [DATA]\n(state 14)"),
              "");
    EXPECT_EQ(detail::stated_command("550 5.1.1 user unknown"), "");
    EXPECT_EQ(detail::stated_command(""), "");
}

TEST(EmailReaderFastPaths, ReplyCodesNeedAFourOrAFive) {
    EXPECT_TRUE(detail::has_reply_code("550 5.1.1 unknown"));
    EXPECT_TRUE(detail::has_reply_code("Sorry, no mailbox here by that name. (#5.1.1)"));
    EXPECT_TRUE(detail::has_reply_code("421 try later"));
    EXPECT_FALSE(detail::has_reply_code("250 2.0.0 ok 1234"));
    EXPECT_FALSE(detail::has_reply_code(""));
}

TEST(EmailReaderFastPaths, InlineDsnFieldsInAnyCaseEndAtTheReturnedHeaders) {
    std::string raw =
        "From: MAILER-DAEMON@example.net\n"
        "To: sender@example.com\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "\n"
        "Delivery to the following recipient failed.\n"
        "\n"
        "reporting-mta: dns; mx.example.net\n"
        "\n"
        "FINAL-RECIPIENT: rfc822; jane@example.org\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <jane@example.org>: user unknown\n"
        "Message-Id: <1@example.com>\n"
        "Final-Recipient: rfc822; not-a-recipient@example.org\n";
    bouncediag::BounceEmail email = bouncediag::read_bounce_email(raw);
    ASSERT_EQ(email.recipients.size(), 1u);
    EXPECT_EQ(email.recipients[0].recipient, "jane@example.org");
    EXPECT_EQ(email.recipients[0].status, "5.1.1");
    EXPECT_EQ(email.recipients[0].reporting_mta, "mx.example.net");
    EXPECT_EQ(email.recipients[0].diagnostic, "550 5.1.1 <jane@example.org>: user unknown");
}

TEST(EmailReaderFastPaths, LineEndsOfEveryKindInMailboxes) {
    // LF, CRLF and a bare CR each end a line, wherever on the line the CR is.
    EXPECT_TRUE(bouncediag::looks_like_email("From: a@b\nSubject: x\n\nbody"));
    EXPECT_TRUE(bouncediag::looks_like_email("From: a@b\r\nSubject: x\r\n\r\nbody"));
    EXPECT_TRUE(bouncediag::looks_like_email("From: a@b\rSubject: x\r\rbody"));
    EXPECT_TRUE(bouncediag::looks_like_email("Subject: a\rb\nFrom: c@d\n"));
    EXPECT_FALSE(bouncediag::looks_like_email("Status: 5.1.1\r\nAction: failed\r\n"));
    bouncediag::MboxSplitter split("From a Mon\rSubject: 1\r\rx\r\rFrom b Tue\rSubject: 2\r");
    std::string_view m;
    std::vector<std::string> messages;
    while (split.next(m)) messages.emplace_back(m);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0], "Subject: 1\r\rx\r\r");
    EXPECT_EQ(messages[1], "Subject: 2\r");
}
