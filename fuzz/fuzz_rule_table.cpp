// libFuzzer target: the rule loader. Any bytes either load as a rule table or are rejected with
// bouncediag::Error (any other exception escapes and is reported as a crash); a loaded table
// must compile into a Classifier (or be rejected with Error) that classifies a reply.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bouncediag/classifier.h"
#include "bouncediag/error.h"
#include "bouncediag/reply.h"
#include "bouncediag/rule_table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bouncediag;
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    static const Reply k_reply = parse_reply("550 5.1.1 <john@example.com>: User unknown");
    RuleTable table;
    try {
        table = RuleTable::parse(json, "fuzz.json");
    } catch (const Error&) {
        return 0;
    }
    try {
        const Classifier classifier(table);
        (void)classifier.classify(k_reply);
        (void)classifier.best_rule(k_reply, true);
    } catch (const Error&) {
    }
    return 0;
}
