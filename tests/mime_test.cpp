// Unit tests of the MIME scanner used by the bounce email reader.
#include "../src/mime.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace bouncediag::mime;

TEST(Mime, NormalizesAllLineEndings) {
    EXPECT_EQ(normalize_line_endings("a\r\nb\rc\nd"), "a\nb\nc\nd");
    // CR CR LF, as some gateways write, is one line end; bare CR CR is an empty line.
    EXPECT_EQ(normalize_line_endings("a\r\r\nb\r\rc"), "a\nb\n\nc");
    EXPECT_EQ(normalize_line_endings(">From here\nx >From"), "From here\nx >From");
}

TEST(Mime, ParsesFoldedHeaders) {
    std::string header =
        "Subject: one\n two\nContent-Type: multipart/report;\n\treport-type=delivery-status;\n"
        "\tboundary=\"b/1\"\nX-Empty:\n";
    Headers h = parse_headers(header);
    EXPECT_EQ(unfold(h.get("subject")), "one two");
    ContentType ct = parse_content_type(h.get("Content-Type"));
    EXPECT_EQ(ct.type, "multipart/report");
    EXPECT_EQ(ct.boundary, "b/1");
    EXPECT_EQ(ct.report_type, "delivery-status");
    EXPECT_TRUE(h.has("x-empty"));
    EXPECT_FALSE(h.has("To"));
}

TEST(Mime, BrokenFoldingContinuesTheField) {
    Headers h = parse_headers("Content-Type: multipart/alternative;\nboundary=\"xyz\"\n");
    EXPECT_EQ(parse_content_type(h.get("Content-Type")).boundary, "xyz");
}

TEST(Mime, DecodesEncodedWords) {
    EXPECT_EQ(decode_header("=?UTF-8?B?44OG44K544OI?="), "テスト");
    EXPECT_EQ(decode_header("=?iso-8859-1?Q?Caf=E9_cr=E8me?="), "Café crème");
    // Whitespace between adjacent encoded words disappears (RFC 2047 section 6.2).
    EXPECT_EQ(decode_header("=?utf-8?Q?a?= =?utf-8?Q?b?= c"), "ab c");
    EXPECT_EQ(decode_header("=?broken"), "=?broken");
    // Unknown charset: the bytes are kept.
    EXPECT_EQ(decode_header("=?x-no-such-charset?Q?abc?="), "abc");
}

TEST(Mime, DecodesTransferEncodings) {
    EXPECT_EQ(decode_base64("SGVs\nbG8="), "Hello");
    EXPECT_EQ(decode_base64("!!!"), "");
    EXPECT_EQ(decode_quoted_printable("a=3Db=\nc =C3=A9"), "a=bc \xC3\xA9");
    EXPECT_EQ(decode_quoted_printable("trailing ="), "trailing =");
    EXPECT_EQ(decode_transfer("x", "x-uuencode"), "x");
}

TEST(Mime, ConvertsCharsets) {
    EXPECT_EQ(to_utf8("caf\xE9", "iso-8859-1"), "café");
    EXPECT_EQ(to_utf8("\x1b$B%F%9%H\x1b(B", "ISO-2022-JP"), "テスト");
    EXPECT_EQ(to_utf8("abc\xff", "no-such-charset"), "abc\xff");
    // Invalid sequences are kept byte for byte instead of failing the conversion.
    EXPECT_EQ(to_utf8("a\x81\x20", "shift_jis").substr(0, 1), "a");
}

TEST(Mime, WalksMultipartReport) {
    std::string email =
        "From: MAILER-DAEMON@example.org\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"\n\n"
        "preamble\n--B1\nContent-Type: text/plain\n\nThe mail system\n"
        "--B1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n"
        "--B1\nContent-Type: message/rfc822\n\nMessage-ID: <1@example.net>\nSubject: hi\n\n"
        "body\n--B1--\n";
    Message m = scan(email);
    EXPECT_EQ(m.content_type.type, "multipart/report");
    ASSERT_EQ(m.parts.size(), 4u);
    EXPECT_EQ(m.parts[0].role, PartRole::text);
    EXPECT_EQ(m.parts[0].text, "The mail system");
    EXPECT_EQ(m.parts[1].role, PartRole::delivery_status);
    EXPECT_EQ(m.parts[2].role, PartRole::returned_headers);
    EXPECT_EQ(m.parts[2].headers.get("Message-ID"), "<1@example.net>");
    EXPECT_EQ(m.parts[3].role, PartRole::returned_text);
}

TEST(Mime, DecodesBase64TextAndHtml) {
    std::string email =
        "Content-Type: multipart/alternative; boundary=x\n\n--x\n"
        "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        "PHA+NTUwIDxiPnVzZXI8L2I+ICZsdDthQGImZ3Q7PC9wPg==\n--x--\n";
    Message m = scan(email);
    ASSERT_EQ(m.parts.size(), 1u);
    EXPECT_TRUE(m.parts[0].is_html);
    EXPECT_NE(html_to_text(m.parts[0].text).find("550 user <a@b>"), std::string::npos);
}

TEST(Mime, SurvivesDeepNestingAndTruncation) {
    std::string email;
    for (int i = 0; i < 1000; ++i)
        email += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
                 std::to_string(i) + "\n";
    email += "Content-Type: text/plain\n\ndeep\n";
    Message m = scan(email);  // must not overflow the stack
    EXPECT_LE(m.parts.size(), 1u);

    Message t = scan("Content-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: text/pl");
    EXPECT_LE(t.parts.size(), 1u);
    Message n = scan(std::string("Subject: a\0b\n\nbody\0with nul", 27));
    ASSERT_EQ(n.parts.size(), 1u);
    EXPECT_EQ(n.parts[0].text.size(), 13u);
}

TEST(Mime, MultipartWithoutDelimiterIsReadAsText) {
    Message m = scan("Content-Type: multipart/mixed; boundary=zz\n\nno parts here\n");
    ASSERT_EQ(m.parts.size(), 1u);
    EXPECT_EQ(m.parts[0].role, PartRole::text);
}

namespace bouncediag::mime {
namespace {

// More charsets than the per-thread iconv cache holds: every descriptor must still be closed
// (the cache once handed out, unkept, every descriptor past its 64th; found by fuzzing, shown
// by LeakSanitizer in the sanitizer build).
TEST(Mime, ManyCharsetsConvertWithoutLeakingDescriptors) {
    std::vector<std::string> charsets;
    for (int n = 1; n <= 16; ++n) charsets.push_back("iso-8859-" + std::to_string(n));
    for (int n = 1250; n <= 1258; ++n) {
        charsets.push_back("windows-" + std::to_string(n));
        charsets.push_back("cp" + std::to_string(n));
    }
    for (int n : {437, 850, 852, 855, 857, 860, 861, 862, 863, 865, 866, 869})
        charsets.push_back("ibm" + std::to_string(n));
    for (const char* name :
         {"koi8-r",      "koi8-u",     "mac",       "macintosh", "latin1",    "latin2",
          "l1",          "iso_8859-1", "iso8859-1", "cp819",     "ibm819",    "iso-ir-100",
          "csisolatin1", "iso8859-15", "latin-9",   "euc-jp",    "shift_jis", "iso-2022-jp",
          "gb2312",      "big5",       "euc-kr",    "tis-620"})
        charsets.push_back(name);
    ASSERT_GT(charsets.size(), 64u);  // the cache's limit
    for (int round = 0; round < 2; ++round) {
        for (const std::string& charset : charsets) {
            std::string out = to_utf8("caf\xe9 na\xefve", charset);
            EXPECT_FALSE(out.empty()) << charset;
        }
    }
    EXPECT_EQ(to_utf8("caf\xe9", "iso-8859-1"), "caf\xc3\xa9");
}

}  // namespace
}  // namespace bouncediag::mime
