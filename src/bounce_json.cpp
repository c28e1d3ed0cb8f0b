#include <nlohmann/json.hpp>

#include "bounce_formats.h"

namespace bouncediag::detail {

namespace {

std::string str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "smtp; 550 ..." -> "550 ..."
std::string strip_diagnostic_type(std::string d) {
    std::size_t semi = d.find(';');
    if (semi != std::string::npos && semi < 12 && d.find(' ') > semi) {
        d.erase(0, semi + 1);
        while (!d.empty() && d.front() == ' ') d.erase(0, 1);
    }
    return d;
}

}  // namespace

bool read_json_notification(std::string_view text, std::vector<JsonRecipient>& out) {
    // Almost no email is one: look for the names first (a fast search), the braces after.
    if (text.find("notificationType") == std::string_view::npos &&
        text.find("eventType") == std::string_view::npos)
        return false;
    std::size_t open = text.find('{');
    std::size_t close = text.rfind('}');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
        return false;
    std::string_view body = text.substr(open, close - open + 1);
    if (body.find("notificationType") == std::string_view::npos &&
        body.find("eventType") == std::string_view::npos)
        return false;
    // Mail gateways wrap the long JSON line: Amazon SNS e-mail breaks it with "!\n " at 998
    // characters; plain wrapping inserts newlines. JSON strings never hold raw newlines.
    std::string joined;
    joined.reserve(body.size());
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '!' && i + 2 < body.size() && body[i + 1] == '\n' && body[i + 2] == ' ') {
            i += 2;
            continue;
        }
        if (body[i] == '\n') {
            // A folded line continues after one space (RFC 5322 folding).
            if (i + 1 < body.size() && body[i + 1] == ' ') ++i;
            continue;
        }
        joined.push_back(body[i]);
    }
    nlohmann::json j = nlohmann::json::parse(joined, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return false;
    // An SNS envelope carries the notification as a JSON string in "Message".
    if (j.contains("Message") && j["Message"].is_string()) {
        nlohmann::json inner =
            nlohmann::json::parse(j["Message"].get<std::string>(), nullptr, false);
        if (!inner.is_discarded() && inner.is_object()) j = std::move(inner);
    }
    std::string type = str(j, "notificationType");
    if (type.empty()) type = str(j, "eventType");
    if (type == "Bounce" && j.contains("bounce") && j["bounce"].is_object()) {
        const nlohmann::json& b = j["bounce"];
        std::string reporting = strip_diagnostic_type(str(b, "reportingMTA"));
        if (b.contains("bouncedRecipients") && b["bouncedRecipients"].is_array())
            for (const nlohmann::json& r : b["bouncedRecipients"]) {
                if (!r.is_object()) continue;
                JsonRecipient x;
                x.address = str(r, "emailAddress");
                x.status = str(r, "status");
                x.action = str(r, "action");
                x.diagnostic = strip_diagnostic_type(str(r, "diagnosticCode"));
                x.reporting_mta = reporting;
                if (x.diagnostic.empty())
                    x.diagnostic = str(b, "bounceType") + " " + str(b, "bounceSubType");
                if (!x.address.empty()) out.push_back(std::move(x));
            }
    } else if (type == "Delivery" && j.contains("delivery") && j["delivery"].is_object()) {
        const nlohmann::json& d = j["delivery"];
        if (d.contains("recipients") && d["recipients"].is_array())
            for (const nlohmann::json& r : d["recipients"]) {
                if (!r.is_string()) continue;
                JsonRecipient x;
                x.address = r.get<std::string>();
                x.action = "delivered";
                x.diagnostic = str(d, "smtpResponse");
                x.reporting_mta = str(d, "reportingMTA");
                out.push_back(std::move(x));
            }
    } else if (type == "Complaint" && j.contains("complaint") && j["complaint"].is_object()) {
        const nlohmann::json& c = j["complaint"];
        std::string feedback = str(c, "complaintFeedbackType");
        if (c.contains("complainedRecipients") && c["complainedRecipients"].is_array())
            for (const nlohmann::json& r : c["complainedRecipients"]) {
                if (!r.is_object()) continue;
                JsonRecipient x;
                x.address = str(r, "emailAddress");
                x.feedback_type = feedback.empty() ? "abuse" : feedback;
                x.complaint = true;
                if (!x.address.empty()) out.push_back(std::move(x));
            }
    }
    return !out.empty();
}

}  // namespace bouncediag::detail
