// RuleTable::embedded(): the default table, from the static data the build generated
// (src/compiled_rule.h). Kept out of the core library so that tools/embed_rule_table, which
// writes that data, links without it.
#include <atomic>
#include <memory>
#include <mutex>
#include <new>

#include "bouncediag/rule_table.h"
#include "compiled_rule.h"

namespace bouncediag {
namespace {

// The compiled rules, each turned into a Rule when first asked for. The data holds offsets,
// not pointers (see compiled_rule.h); a rule's lists of strings become views kept beside it.
class EmbeddedRules final : public RuleTable::LazyRules {
  public:
    explicit EmbeddedRules(const CompiledTable& table)
        : m_table(table),
          // Raw storage: pages no rule is made in are never touched (nor faulted in).
          m_slots(static_cast<Slot*>(::operator new(sizeof(Slot) * table.rules.size()))),
          m_ready(new std::atomic<bool>[table.rules.size()]()) {}

    // Never destroyed: the embedded table lives as long as the process.
    ~EmbeddedRules() override = default;

    std::size_t size() const override { return m_table.rules.size(); }

    const Rule& get(std::size_t index) const override {
        if (!m_ready[index].load(std::memory_order_acquire)) make(index);
        return m_slots[index].rule;
    }

  private:
    struct Slot {
        Rule rule;
        std::vector<std::string_view> strings;  // what rule.text, command and examples view
    };

    void make(std::size_t index) const {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_ready[index].load(std::memory_order_relaxed)) return;
        const CompiledRule& c = m_table.rules[index];
        Slot* slot = new (&m_slots[index]) Slot();
        std::vector<std::string_view>& strings = slot->strings;
        strings.reserve(c.text.count + c.command.count + c.examples.count);
        for (ListRef list : {c.text, c.command, c.examples})
            for (StringRef s : m_table.strings.subspan(list.first, list.count))
                strings.push_back(str(s));
        std::span<const std::string_view> all(strings);
        Rule& rule = slot->rule;
        rule.id = str(c.id);
        rule.basic = m_table.basic.subspan(c.basic.first, c.basic.count);
        rule.enhanced = m_table.enhanced.subspan(c.enhanced.first, c.enhanced.count);
        rule.text = all.subspan(0, c.text.count);
        rule.remote_host = str(c.remote_host);
        rule.command = all.subspan(c.text.count, c.command.count);
        rule.priority = c.priority;
        rule.type = str(c.type);
        rule.reason = str(c.reason);
        rule.cause = str(c.cause);
        rule.action = str(c.action);
        rule.meaning = str(c.meaning);
        rule.fix = str(c.fix);
        rule.provider = str(c.provider);
        rule.blocklist = str(c.blocklist);
        rule.examples = all.subspan(c.text.count + c.command.count, c.examples.count);
        rule.origin = str(c.origin);
        m_ready[index].store(true, std::memory_order_release);
    }

    std::string_view str(StringRef s) const { return m_table.text.substr(s.offset, s.length); }

    const CompiledTable& m_table;
    Slot* m_slots;
    std::unique_ptr<std::atomic<bool>[]> m_ready;
    mutable std::mutex m_mutex;
};

}  // namespace

const RuleTable& RuleTable::embedded() {
    // Never destroyed: freeing it at exit would cost a one-reply run time for nothing.
    static const RuleTable& table = *[] {
        const CompiledTable& compiled = compiled_table();
        auto* t = new RuleTable;
        t->set_lazy_rules(std::make_shared<const EmbeddedRules>(compiled));
        t->set_prebuilt_index(&compiled.classifier_index);
        return t;
    }();
    return table;
}

}  // namespace bouncediag
