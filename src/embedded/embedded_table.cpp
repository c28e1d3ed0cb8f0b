// RuleTable::embedded(): the default table, from the static data the build generated
// (src/compiled_rule.h). Kept out of the core library so that tools/embed_rule_table, which
// writes that data, links without it.
#include "bouncediag/rule_table.h"
#include "compiled_rule.h"

namespace bouncediag {
namespace {

std::vector<std::string> strings(std::span<const std::string_view> views) {
    return std::vector<std::string>(views.begin(), views.end());
}

Rule make_rule(const CompiledRule& c) {
    Rule rule;
    rule.id = c.id;
    rule.basic.assign(c.basic.begin(), c.basic.end());
    rule.enhanced.assign(c.enhanced.begin(), c.enhanced.end());
    rule.text = strings(c.text);
    rule.remote_host = c.remote_host;
    rule.command = strings(c.command);
    rule.priority = c.priority;
    rule.type = c.type;
    rule.reason = c.reason;
    rule.cause = c.cause;
    rule.action = c.action;
    rule.meaning = c.meaning;
    rule.fix = c.fix;
    rule.provider = c.provider;
    rule.blocklist = c.blocklist;
    rule.examples = strings(c.examples);
    rule.origin = c.origin;
    for (const CompiledPrefilter& p : c.prefilters)
        rule.prefilters.push_back(
            PatternPrefilter{strings(p.atoms), strings(p.required), p.needs_non_ascii});
    return rule;
}

}  // namespace

const RuleTable& RuleTable::embedded() {
    // Never destroyed: freeing ~1,000 rules at exit would cost a one-reply run ~10 % of its
    // time, for nothing.
    static const RuleTable& table = *[] {
        auto* t = new RuleTable;
        t->reserve(compiled_rules().size());
        for (const CompiledRule& c : compiled_rules()) t->add(make_rule(c));
        return t;
    }();
    return table;
}

}  // namespace bouncediag
