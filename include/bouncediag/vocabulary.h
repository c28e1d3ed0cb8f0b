// The public vocabularies of a diagnosis: bounce type, reason (sisimai-compatible), cause and
// recommended action. These strings are a contract with users' scripts: extend, never rename.
#pragma once

#include <span>
#include <string_view>

namespace bouncediag {

std::span<const std::string_view> bounce_types();  // hard, soft, none, unknown
std::span<const std::string_view> reasons();       // userunknown, mailboxfull, ...
std::span<const std::string_view> causes();        // bad-address, mailbox, ...
std::span<const std::string_view> actions();       // suppress, retry, ...

bool is_bounce_type(std::string_view s);
bool is_reason(std::string_view s);
bool is_cause(std::string_view s);
bool is_action(std::string_view s);

}  // namespace bouncediag
