#include "bouncediag/vocabulary.h"

#include <algorithm>
#include <array>

namespace bouncediag {
namespace {

using namespace std::string_view_literals;

constexpr std::array k_bounce_types = {"hard"sv, "soft"sv, "none"sv, "unknown"sv};

// sisimai's reason names, so that users migrating from it recognise them.
constexpr std::array k_reasons = {
    "userunknown"sv,     "hostunknown"sv,  "hasmoved"sv,      "notaccept"sv,
    "mailboxfull"sv,     "suspend"sv,      "filtered"sv,      "rejected"sv,
    "blocked"sv,         "authfailure"sv,  "requireptr"sv,    "badreputation"sv,
    "policyviolation"sv, "spamdetected"sv, "virusdetected"sv, "contenterror"sv,
    "notcompliantrfc"sv, "mesgtoobig"sv,   "exceedlimit"sv,   "norelaying"sv,
    "toomanyconn"sv,     "speeding"sv,     "ratelimited"sv,   "networkerror"sv,
    "systemerror"sv,     "systemfull"sv,   "mailererror"sv,   "securityerror"sv,
    "failedstarttls"sv,  "syntaxerror"sv,  "expired"sv,       "suppressed"sv,
    "onhold"sv,          "undefined"sv,    "delivered"sv,     "feedback"sv,
    "vacation"sv,
};

constexpr std::array k_causes = {
    "bad-address"sv,    "mailbox"sv,    "message"sv,   "spam-content"sv, "authentication"sv,
    "reputation"sv,     "rate-limit"sv, "blocklist"sv, "policy"sv,       "greylisting"sv,
    "infrastructure"sv, "protocol"sv,   "none"sv,      "unknown"sv,
};

constexpr std::array k_actions = {
    "suppress"sv,
    "retry"sv,
    "slow-down"sv,
    "fix-authentication"sv,
    "request-delisting"sv,
    "improve-reputation"sv,
    "reduce-size"sv,
    "review-content"sv,
    "fix-configuration"sv,
    "contact-recipient"sv,
    "none"sv,
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

std::span<const std::string_view> bounce_types() {
    return k_bounce_types;
}
std::span<const std::string_view> reasons() {
    return k_reasons;
}
std::span<const std::string_view> causes() {
    return k_causes;
}
std::span<const std::string_view> actions() {
    return k_actions;
}

bool is_bounce_type(std::string_view s) {
    return contains(k_bounce_types, s);
}
bool is_reason(std::string_view s) {
    return contains(k_reasons, s);
}
bool is_cause(std::string_view s) {
    return contains(k_causes, s);
}
bool is_action(std::string_view s) {
    return contains(k_actions, s);
}

}  // namespace bouncediag
