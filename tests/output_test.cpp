// JSON lines output: written by hand, it must stay valid JSON and valid UTF-8, byte for byte
// what nlohmann::json wrote before (scripts and golden files compare output exactly).
#include "bouncediag/output.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "bouncediag/diagnose.h"

namespace bouncediag {
namespace {

// What nlohmann::json writes for one string (the former implementation).
std::string nlohmann_string(const std::string& s) {
    return nlohmann::ordered_json(s).dump(-1, ' ', false,
                                          nlohmann::ordered_json::error_handler_t::replace);
}

// format_json's rendering of `s`, taken from the "text" field of a result.
std::string our_string(const std::string& s) {
    Result r;
    r.reply.text = s;
    std::string json = format_json(r);
    std::size_t start = json.find("\"text\":") + 7;
    std::size_t end = json.find(",\"type\":", start);
    return json.substr(start, end - start);
}

TEST(JsonOutput, EscapesLikeRfc8259) {
    EXPECT_EQ(our_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(our_string("tab\there\nnew\r\x01\x1f"), "\"tab\\there\\nnew\\r\\u0001\\u001f\"");
    EXPECT_EQ(our_string("caf\xC3\xA9 \xF0\x9F\x93\xA7"), "\"caf\xC3\xA9 \xF0\x9F\x93\xA7\"");
}

TEST(JsonOutput, InvalidUtf8BecomesReplacementCharacters) {
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(our_string("\xFF"), "\"" + fffd + "\"");
    // An overlong lead-in: E0 must be followed by A0..BF, so 80 starts again (and is bad too).
    EXPECT_EQ(our_string("\xE0\x80"), "\"" + fffd + fffd + "\"");
    // A sequence cut by a good ASCII byte keeps that byte.
    EXPECT_EQ(our_string("\xE2\x82x"), "\"" + fffd + "x\"");
    // Cut short at the end of the text: one replacement.
    EXPECT_EQ(our_string("ok\xE2\x82"), "\"ok" + fffd + "\"");
    // UTF-16 surrogates are not UTF-8.
    EXPECT_EQ(our_string("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");
}

TEST(JsonOutput, SameBytesAsNlohmannOnRandomText) {
    std::mt19937 random(20261127);
    // Mostly bytes that matter: ASCII controls, quotes, UTF-8 leads and continuations.
    const std::string alphabet = std::string("aZ \"\\\t\n\x01\x7f", 10) +
                                 "\x80\xBF\xC2\xDF\xE0\xED\xEF\xF0\xF4\xF5\xFF\xA0\x8F\x90\x9F";
    for (int round = 0; round < 20000; ++round) {
        std::string s;
        std::size_t length = 1 + random() % 12;  // (an empty field is null)
        for (std::size_t k = 0; k < length; ++k) s += alphabet[random() % alphabet.size()];
        ASSERT_EQ(our_string(s), nlohmann_string(s))
            << "input bytes: " << testing::PrintToString(s);
    }
}

// Plain text is scanned 16 and 8 bytes at a time: a byte that matters at any position of a
// longer text, first or last in such a block or in the tail after the last one.
TEST(JsonOutput, SameBytesAsNlohmannWhereverTheSpecialByteStands) {
    const std::vector<std::string> specials = {
        "\"", "\\", "\n", std::string(1, '\0'), "\x1f", "\x7f", "\xC3\xA9", "\xFF", "\xE2\x82"};
    for (std::size_t length : {15, 16, 17, 31, 32, 33, 47, 70}) {
        for (std::size_t at = 0; at < length; ++at) {
            for (const std::string& special : specials) {
                std::string s(length, 'a');
                s.replace(at, 1, special);
                ASSERT_EQ(our_string(s), nlohmann_string(s))
                    << "input bytes: " << testing::PrintToString(s);
            }
        }
    }
}

TEST(JsonOutput, ResultIsOneValidObjectInFieldOrder) {
    Result r;
    r.input = "bounces.log";
    r.line = 12;
    r.reply.basic_code = 550;
    r.reply.enhanced_code = "5.1.1";
    r.reply.text = "User unknown";
    r.reply.codes_inconsistent = false;
    r.diagnosis.type = "hard";
    std::string json = format_json(r);
    ASSERT_TRUE(nlohmann::json::accept(json)) << json;
    auto parsed = nlohmann::ordered_json::parse(json);
    EXPECT_EQ(parsed.begin().key(), "input");
    EXPECT_EQ(parsed["line"], 12);
    EXPECT_TRUE(parsed["message"].is_null());
    EXPECT_EQ(parsed["basic_code"], 550);
    EXPECT_EQ(parsed["codes_inconsistent"], false);
    EXPECT_EQ(parsed["type"], "hard");
    EXPECT_EQ(json.find(' ', json.find("\"recipient\"")), json.find("User unknown") + 4);
}

// format_json writes its keys directly: they must stay those of the TSV field list, in its
// order, each value the one TSV gives.
TEST(JsonOutput, KeysAreTheFieldListInOrder) {
    Result r;
    r.input = "in";
    r.line = 3;
    r.message = 4;
    r.recipient = "a@b";
    r.original_recipient = "c@d";
    r.reply.basic_code = 550;
    r.reply.enhanced_code = "5.1.1";
    r.reply.text = "text";
    r.reply.codes_inconsistent = true;
    r.reply.remote_host = "mx";
    r.reply.smtp_command = "RCPT TO";
    r.diagnosis.provider = "P";
    r.receiving_provider = "R";
    r.diagnosis.blocklist = "B";
    r.diagnosis.matched_text = "m";
    r.diagnosis.meaning = "means";
    r.diagnosis.fix = "fix";
    r.format = "f";
    r.dsn_action = "failed";
    r.dsn_status = "5.1.1";
    r.reporting_mta = "rm";
    r.remote_mta = "mta";
    r.last_attempt_date = "date";
    r.queue_id = "q";
    r.timestamp = "t";
    r.feedback_type = "abuse";
    r.original.message_id = "<id>";
    r.original.from = "from";
    r.original.to = "to";
    r.original.subject = "subject";
    r.original.date = "odate";
    auto parsed = nlohmann::ordered_json::parse(format_json(r));
    const std::vector<std::string>& names = tsv_field_names();
    ASSERT_EQ(parsed.size(), names.size());
    std::size_t k = 0;
    for (auto it = parsed.begin(); it != parsed.end(); ++it, ++k) {
        ASSERT_EQ(it.key(), names[k]);
        if (it.key() == "rule") continue;  // (no rule here: null, TSV empty)
        std::string value =
            it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
        EXPECT_EQ(value, format_tsv(r, {names[k]})) << names[k];
    }
}

}  // namespace
}  // namespace bouncediag
