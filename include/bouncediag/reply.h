// SMTP reply parsing: splits any text that carries a reply into basic code (RFC 5321), enhanced
// status code (RFC 3463) and reply text, wherever the reply stands (bare, multi-line, DSN field,
// MTA wrapper or log line).
#pragma once

#include <string>
#include <string_view>

namespace bouncediag {

struct Reply {
    int basic_code = 0;         // RFC 5321 reply code, 0 when absent
    std::string enhanced_code;  // RFC 3463 "class.subject.detail", empty when absent
    std::string text;           // the reply text without codes and wrappers
    std::string remote_host;    // the replying host when a wrapper names it
    std::string smtp_command;   // the SMTP command replied to ("RCPT TO", "DATA", ...) if known
    std::string wrapper;        // the form the reply was found in ("bare", "diagnostic-code", ...)
    bool codes_inconsistent = false;  // basic and enhanced codes of different classes (450 5.7.1)

    bool has_code() const { return basic_code != 0 || !enhanced_code.empty(); }
    // 'hard', 'soft' or 'none' as the codes say (basic code first), empty without codes.
    std::string_view code_class_type() const;
};

// Parses one reply. Never throws: text without a recognisable code gives a Reply with no code.
Reply parse_reply(std::string_view input);

// True when `code` is a well-formed enhanced status code: class 2, 4 or 5, subject and detail
// of one to three digits (RFC 3463 section 2).
bool is_enhanced_code(std::string_view code);
// The class, subject and detail of an enhanced status code; false (and `parts` untouched) when
// `code` is not one.
bool enhanced_code_parts(std::string_view code, int (&parts)[3]);

}  // namespace bouncediag
