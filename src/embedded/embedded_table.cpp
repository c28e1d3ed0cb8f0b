// RuleTable::embedded(): the default table, from the static data the build generated
// (src/compiled_rule.h). Kept out of the core library so that tools/embed_rule_table, which
// writes that data, links without it.
#include <memory>

#include "bouncediag/rule_table.h"
#include "compiled_rule.h"

namespace bouncediag {
namespace {

// Rules as views into the compiled table. The data holds offsets, not pointers (see
// compiled_rule.h), so the items of its string lists are turned into views once, in one
// array; every rule's lists are spans of it.
class EmbeddedViews {
  public:
    explicit EmbeddedViews(const CompiledTable& table) : m_table(table) {
        m_strings.reserve(table.strings.size());
        for (StringRef s : table.strings) m_strings.push_back(str(s));
    }

    Rule make(const CompiledRule& c) const {
        Rule rule;
        rule.id = str(c.id);
        rule.basic = m_table.basic.subspan(c.basic.first, c.basic.count);
        rule.enhanced = m_table.enhanced.subspan(c.enhanced.first, c.enhanced.count);
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
        return rule;
    }

  private:
    std::string_view str(StringRef s) const { return m_table.text.substr(s.offset, s.length); }

    std::span<const std::string_view> strings(ListRef ref) const {
        return std::span<const std::string_view>(m_strings).subspan(ref.first, ref.count);
    }

    const CompiledTable& m_table;
    std::vector<std::string_view> m_strings;
};

}  // namespace

const RuleTable& RuleTable::embedded() {
    // Never destroyed: freeing it at exit would cost a one-reply run time for nothing.
    static const RuleTable& table = *[] {
        const CompiledTable& compiled = compiled_table();
        auto views = std::make_shared<const EmbeddedViews>(compiled);
        auto* t = new RuleTable;
        t->keep(views);
        t->reserve(compiled.rules.size());
        for (const CompiledRule& c : compiled.rules) t->add(views->make(c));
        t->set_prebuilt_index(&compiled.classifier_index);
        return t;
    }();
    return table;
}

}  // namespace bouncediag
