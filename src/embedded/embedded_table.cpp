// RuleTable::embedded(): the default table, from the static data the build generated
// (src/compiled_rule.h). Kept out of the core library so that tools/embed_rule_table, which
// writes that data, links without it.
#include "bouncediag/rule_table.h"
#include "compiled_rule.h"

namespace bouncediag {
namespace {

class RuleBuilder {
  public:
    explicit RuleBuilder(const CompiledTable& table) : m_table(table) {}

    Rule make(const CompiledRule& c) const {
        Rule rule;
        rule.id = str(c.id);
        rule.basic = list(m_table.basic, c.basic);
        rule.enhanced = list(m_table.enhanced, c.enhanced);
        rule.text = strings(c.text);
        rule.remote_host = str(c.remote_host);
        rule.command = strings(c.command);
        rule.priority = c.priority;
        rule.type = str(c.type);
        rule.reason = str(c.reason);
        rule.cause = str(c.cause);
        rule.action = str(c.action);
        rule.meaning = str(c.meaning);
        rule.fix = str(c.fix);
        rule.provider = str(c.provider);
        rule.blocklist = str(c.blocklist);
        rule.examples = strings(c.examples);
        rule.origin = str(c.origin);
        rule.prefilters.reserve(c.prefilters.count);
        for (const CompiledPrefilter& p :
             m_table.prefilters.subspan(c.prefilters.first, c.prefilters.count)) {
            rule.prefilters.push_back(
                PatternPrefilter{strings(p.atoms), strings(p.required), p.needs_non_ascii});
        }
        return rule;
    }

  private:
    std::string str(StringRef s) const {
        return std::string(m_table.text.substr(s.offset, s.length));
    }

    template <typename T>
    static std::vector<T> list(std::span<const T> all, ListRef ref) {
        auto part = all.subspan(ref.first, ref.count);
        return std::vector<T>(part.begin(), part.end());
    }

    std::vector<std::string> strings(ListRef ref) const {
        std::vector<std::string> out;
        out.reserve(ref.count);
        for (StringRef s : m_table.strings.subspan(ref.first, ref.count)) out.push_back(str(s));
        return out;
    }

    const CompiledTable& m_table;
};

}  // namespace

const RuleTable& RuleTable::embedded() {
    // Never destroyed: freeing ~1,000 rules at exit would cost a one-reply run ~10 % of its
    // time, for nothing.
    static const RuleTable& table = *[] {
        const CompiledTable& compiled = compiled_table();
        const RuleBuilder builder(compiled);
        auto* t = new RuleTable;
        t->reserve(compiled.rules.size());
        for (const CompiledRule& c : compiled.rules) t->add(builder.make(c));
        return t;
    }();
    return table;
}

}  // namespace bouncediag
